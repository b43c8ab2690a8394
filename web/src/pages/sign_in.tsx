// The sign-in screen: paste an API key (`sak_…`) or a JWT; it is checked with GET /account
// before it is kept (in sessionStorage only). A wrong key and a rate limit get their own message.
import { useState } from "preact/hooks";
import { ApiClient, ApiError } from "../api/client";
import { getAccount } from "../api/endpoints";
import type { Account } from "../api/types";
import { TextField } from "../components/fields";

function refusalMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  if (error.status === 401) return `This key or token was not accepted: ${error.message}`;
  if (error.status === 429) {
    const wait = error.retryAfterSeconds ?? 60;
    return `Too many attempts. Try again in ${wait} second${wait === 1 ? "" : "s"}.`;
  }
  return `${error.message} (${error.code})`;
}

export function SignIn({
  notice,
  onSignedIn,
}: {
  notice: string | null;
  onSignedIn: (credential: string, account: Account) => void;
}) {
  const [credential, setCredential] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = credential.trim();
    if (!trimmed) return setError("Paste an API key or a token first.");
    setBusy(true);
    setError(null);
    try {
      const account = await getAccount(new ApiClient(trimmed));
      onSignedIn(trimmed, account);
    } catch (failure) {
      setError(refusalMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <form class="card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">seoagents</h1>
        <p>
          Sign in with an API key (it starts with <code>sak_</code>; the server prints the first one when it
          starts on a new data directory) or a JWT.
        </p>
        {notice && (
          <p class="alert alert-info" role="status">
            {notice}
          </p>
        )}
        <TextField
          id="credential"
          label="API key or token"
          type="password"
          autoComplete="off"
          value={credential}
          onInput={setCredential}
          error={error ?? undefined}
          hint="Kept in this tab only, until you sign out or close it."
        />
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
