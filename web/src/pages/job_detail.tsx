// One job's page: its fields, its progress followed live (WebSocket, or polling when the socket
// cannot be used) with every step, percent and message, and its result or error once it ends.
import { useEffect, useState } from "preact/hooks";
import { cancelJob, getJob } from "../api/endpoints";
import type { Job, JobStatus, ProgressEvent } from "../api/types";
import { StatusBadge } from "../components/badges";
import { ErrorMessage, Loading } from "../components/feedback";
import { formatDateTime } from "../format";
import { useApi, useResource } from "../hooks";
import { type FollowMode, isFinalStatus, JobFollower } from "../live/job_follower";
import { href } from "../router";

const MODE_TEXT: Record<FollowMode, string> = {
  connecting: "Connecting to the live channel…",
  live: "Live: events arrive as they happen.",
  polling: "Checking for progress every few seconds (the live channel is not available).",
  finished: "Finished.",
  unavailable: "This job's progress cannot be followed.",
};

const TRANSPORT_TEXT: Record<Transport, string> = {
  live: "Followed live over the WebSocket channel.",
  polling: "Followed by polling the progress route.",
};

type Transport = "live" | "polling";

interface Progress {
  status: JobStatus | null;
  events: ProgressEvent[];
  mode: FollowMode;
  /** How the events arrived last: over the socket or by polling. */
  transport: Transport | null;
  problem: string | null;
}

function useJobProgress(jobId: string, onFinished: () => void): Progress {
  const api = useApi();
  const [progress, setProgress] = useState<Progress>({
    status: null,
    events: [],
    mode: "connecting",
    transport: null,
    problem: null,
  });
  useEffect(() => {
    const update = (change: Partial<Progress>) => setProgress((previous) => ({ ...previous, ...change }));
    const follower = new JobFollower(api, jobId, {
      onEvent: (event) => setProgress((previous) => ({ ...previous, events: [...previous.events, event] })),
      onStatus: (status) => update({ status }),
      onMode: (mode) => update(mode === "live" || mode === "polling" ? { mode, transport: mode } : { mode }),
      onProblem: (problem) => update({ problem }),
      onFinished,
    });
    follower.start();
    return () => follower.stop();
  }, [api, jobId]);
  return progress;
}

function ProgressPanel({ progress }: { progress: Progress }) {
  const last = progress.events[progress.events.length - 1];
  const percent = last?.percent ?? 0;
  return (
    <section class="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <p
        class="muted"
        data-testid="follow-mode"
        data-mode={progress.mode}
        data-transport={progress.transport ?? ""}
      >
        {MODE_TEXT[progress.mode]}{" "}
        {progress.mode === "finished" && progress.transport && TRANSPORT_TEXT[progress.transport]}
      </p>
      {progress.problem && <p class="alert alert-warn">{progress.problem}</p>}
      <p class="percent" aria-hidden="true">
        {percent}%
      </p>
      <progress aria-label="Job progress" max={100} value={percent} />
      <p aria-live="polite" role="status" data-testid="progress-status">
        {progress.status ? <StatusBadge status={progress.status} /> : null}{" "}
        {last ? `${last.step}: ${last.message}` : "Waiting for the first event…"}
      </p>
      <ol class="steps" data-testid="progress-steps">
        {progress.events.map((event) => (
          <li key={event.seq}>
            <span class="step-name">{event.step}</span> <span class="muted">{event.percent}%</span>{" "}
            {event.message}
            <small class="muted block">{formatDateTime(event.ts)}</small>
          </li>
        ))}
      </ol>
    </section>
  );
}

function resultValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value) && value.every((item) => typeof item !== "object")) {
    return value.length === 0 ? "none" : value.join("; ");
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function JobResult({ job }: { job: Job }) {
  const result = job.result ?? {};
  const s3Key = typeof result.s3_key === "string" ? result.s3_key : null;
  const wpUrl = typeof result.wp_url === "string" ? result.wp_url : null;
  return (
    <section class="card" aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      {s3Key && (
        <p>
          <a href={href("articles", s3Key)}>Open the article, its preview and analysis</a>
        </p>
      )}
      {wpUrl && (
        <p>
          Post on the site:{" "}
          <a href={wpUrl} rel="noopener noreferrer" target="_blank">
            {wpUrl}
          </a>
        </p>
      )}
      <dl class="pairs" data-testid="job-result">
        {Object.entries(result).map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd class="wrap">{resultValue(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function JobFacts({ job }: { job: Job }) {
  const facts: [string, string][] = [
    ["Type", job.job_type],
    ["Agent", job.agent_id],
    ["Keyword", job.keyword ?? "—"],
    ["Article", job.s3_key ?? "—"],
    ["Site", job.site_id ?? "—"],
    ["Attempts", `${job.attempts} of ${job.max_attempts}`],
    ["Created", formatDateTime(job.created_at)],
    ["Started", formatDateTime(job.started_at)],
    ["Finished", formatDateTime(job.finished_at)],
  ];
  return (
    <dl class="pairs">
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd class="wrap">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function JobDetail({ jobId }: { jobId: string }) {
  const api = useApi();
  const job = useResource(() => getJob(api, jobId), [jobId]);
  const progress = useJobProgress(jobId, job.reload);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const status = progress.status ?? job.data?.status ?? null;
  const cancel = async () => {
    try {
      await cancelJob(api, jobId);
      job.reload();
    } catch (error) {
      setCancelError(error);
    }
  };
  return (
    <>
      <p>
        <a href={href("jobs")}>← All jobs</a>
      </p>
      <div class="page-head">
        <h1>Job {jobId}</h1>
        {status && <StatusBadge status={status} />}
        {status && !isFinalStatus(status) && (
          <button type="button" class="danger" onClick={cancel}>
            Cancel job
          </button>
        )}
      </div>
      {cancelError !== null && <ErrorMessage error={cancelError} title="Cancel" />}
      {job.error && <ErrorMessage error={job.error} />}
      {job.loading && !job.data && <Loading what="the job" />}
      {job.data && <JobFacts job={job.data} />}
      <ProgressPanel progress={progress} />
      {job.data?.error && <ErrorMessage error={job.data.error} title="The job failed" />}
      {job.data?.status === "completed" && <JobResult job={job.data} />}
    </>
  );
}
