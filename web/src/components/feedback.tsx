// How the pages say what is happening: a loading line, an empty list, and an error with the API's
// code, request id and (for 429) the seconds to wait.
import type { ComponentChildren } from "preact";
import { ApiError } from "../api/client";

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function errorSummary(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 429 && error.retryAfterSeconds !== null) {
    return `${error.message} Try again in ${error.retryAfterSeconds} s.`;
  }
  return error.message;
}

export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const api = error instanceof ApiError ? error : null;
  return (
    <div class="alert alert-error" role="alert">
      {title && <strong>{title}: </strong>}
      <span>{errorSummary(error)}</span>
      {api && (
        <small class="alert-meta">
          {api.code}
          {api.requestId && ` · request ${api.requestId}`}
        </small>
      )}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <div class="alert alert-ok" role="status">
      {children}
    </div>
  );
}
