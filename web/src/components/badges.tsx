// Small labels for states and scores; the text always says it, the colour only helps.
const TONE_BY_STATE: Record<string, string> = {
  active: "good",
  verified: "good",
  completed: "good",
  healthy: "good",
  delivered: "good",
  good: "good",
  paused: "warn",
  pending: "warn",
  processing: "info",
  unverified: "warn",
  unknown: "muted",
  ok: "warn",
  expired: "muted",
  cancelled: "muted",
  revoked: "muted",
  failed: "bad",
  failing: "bad",
  dead: "bad",
  bad: "bad",
  deleted: "bad",
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${TONE_BY_STATE[status] ?? "muted"}`}>{status}</span>;
}

export function scoreTone(score: number): string {
  if (score >= 70) return "good";
  if (score >= 50) return "warn";
  return "bad";
}

export function ScoreBadge({ score, label }: { score: number; label: string }) {
  return (
    <span class={`badge badge-${scoreTone(score)}`} title={label}>
      <span class="visually-hidden">{label} </span>
      {score}
    </span>
  );
}
