// API keys: the account's keys (never their secrets), a new key shown once with a copy button,
// and revocation (with a warning for the key this tab is signed in with).
import { useState } from "preact/hooks";
import { createApiKey, listApiKeys, revokeApiKey } from "../api/endpoints";
import type { ApiKey } from "../api/types";
import { StatusBadge } from "../components/badges";
import { DataTable } from "../components/data_table";
import { ErrorMessage, Notice } from "../components/feedback";
import { TextField } from "../components/fields";
import { FormCard } from "../components/form_card";
import { PagedList } from "../components/paged_list";
import { SecretOnce } from "../components/secret";
import { formatDateTime } from "../format";
import { useApi, useChangeMessage, useFormSubmit, useItemAction, usePagedList } from "../hooks";

const KEY_FIELDS = ["name"] as const;

function NewKeyForm({ onCreated }: { onCreated: (name: string, key: string) => void }) {
  const api = useApi();
  const [name, setName] = useState("");
  const { errors, submit } = useFormSubmit(KEY_FIELDS, async () => {
    const created = await createApiKey(api, name.trim());
    setName("");
    onCreated(created.name, created.key);
  });
  return (
    <FormCard titleId="new-key-title" title="New API key" onSubmit={submit} error={errors.general} inline>
      <TextField
        id="new-key-name"
        label="Name"
        value={name}
        onInput={setName}
        error={errors.fields.name}
        hint="What uses it, e.g. “ci” or “reporting”."
      />
      <button type="submit">Create key</button>
    </FormCard>
  );
}

function KeyRow({ apiKey, onChanged }: { apiKey: ApiKey; onChanged: (message: string) => void }) {
  const api = useApi();
  const { error, run } = useItemAction();
  const isCurrent = api.credential.startsWith(apiKey.prefix);
  const revoke = () => {
    const warning = isCurrent
      ? " This looks like the key you are signed in with: you will be signed out."
      : "";
    void run(async () => {
      await revokeApiKey(api, apiKey.id);
      onChanged(`Revoked ${apiKey.name}.`);
    }, `Revoke the key ${apiKey.name}? It stops working at once.${warning}`);
  };
  return (
    <tr>
      <th scope="row">
        {apiKey.name}
        {isCurrent && <small class="muted block">this session</small>}
      </th>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td>
        <StatusBadge status={apiKey.revoked_at ? "revoked" : "active"} />
      </td>
      <td>{formatDateTime(apiKey.created_at)}</td>
      <td>{formatDateTime(apiKey.last_used_at)}</td>
      <td class="actions">
        {!apiKey.revoked_at && (
          <button type="button" class="danger" onClick={revoke}>
            Revoke
          </button>
        )}
        {error !== null && <ErrorMessage error={error} />}
      </td>
    </tr>
  );
}

export function ApiKeysPage() {
  const api = useApi();
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const keys = usePagedList((cursor) => listApiKeys(api, { cursor, limit: 25 }), {});
  const { message, changed } = useChangeMessage(keys.reload);
  return (
    <>
      <h1>API keys</h1>
      <p class="muted">
        Keys authenticate scripts and this dashboard. The server keeps only their SHA-256 hash: a key is shown
        once, when it is created.
      </p>
      {message && <Notice>{message}</Notice>}
      {secret && (
        <SecretOnce
          label={`New key “${secret.name}”`}
          secret={secret.key}
          onDismiss={() => setSecret(null)}
        />
      )}
      <NewKeyForm
        onCreated={(name, key) => {
          setSecret({ name, key });
          keys.reload();
        }}
      />
      <PagedList list={keys} loadingWhat="keys" empty="No keys." label="API keys">
        {(items) => (
          <DataTable
            testId="keys-table"
            caption="API keys"
            columns={["Name", "Prefix", "Status", "Created", "Last used"]}
            actions
          >
            {items.map((apiKey) => (
              <KeyRow key={apiKey.id} apiKey={apiKey} onChanged={changed} />
            ))}
          </DataTable>
        )}
      </PagedList>
    </>
  );
}
