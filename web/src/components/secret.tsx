// A secret the API shows only once (a new API key, a webhook signing secret): displayed with a
// copy button and a warning until the user dismisses it; it is never stored anywhere.
import { useState } from "preact/hooks";

export function SecretOnce({
  label,
  secret,
  onDismiss,
}: {
  label: string;
  secret: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <section class="secret" aria-labelledby="secret-title">
      <h3 id="secret-title">{label}</h3>
      <p>This is the only time it is shown. Copy it now and keep it somewhere safe.</p>
      <div class="secret-row">
        <code class="secret-value" data-testid="secret-value">
          {secret}
        </code>
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p class="muted" role="status">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && "The browser refused the clipboard: select the text and copy it by hand."}
      </p>
      <button type="button" class="secondary" onClick={onDismiss}>
        I have saved it
      </button>
    </section>
  );
}
