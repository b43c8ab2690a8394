// Webhooks: the endpoints with their health, the create/edit form (the signing secret shown once
// with a copy button), verify (a signed ping), secret rotation, enable/disable, the delivery log
// and removal.
import { useState } from "preact/hooks";
import {
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  verifyWebhook,
} from "../api/endpoints";
import type { Webhook, WebhookPing } from "../api/types";
import { StatusBadge } from "../components/badges";
import { DataTable } from "../components/data_table";
import { Empty, ErrorMessage, Loading, Notice } from "../components/feedback";
import { PagedList } from "../components/paged_list";
import { SecretOnce } from "../components/secret";
import { formatDateTime } from "../format";
import { useApi, useChangeMessage, useEditor, useItemAction, usePagedList, useResource } from "../hooks";
import { WebhookForm } from "./webhook_form";

function PingResult({ ping }: { ping: WebhookPing }) {
  return (
    <p class={ping.ok ? "alert alert-ok" : "alert alert-error"} role="status">
      Ping {ping.ok ? "answered" : "failed"}:{" "}
      {ping.status_code === null ? "no answer" : `HTTP ${ping.status_code}`} in {ping.latency_ms} ms
      {ping.error && ` — ${ping.error}`}
    </p>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const api = useApi();
  const deliveries = useResource(() => listWebhookDeliveries(api, webhookId, { limit: 10 }), [webhookId]);
  if (deliveries.error) return <ErrorMessage error={deliveries.error} />;
  if (!deliveries.data) return <Loading what="deliveries" />;
  if (deliveries.data.data.length === 0) return <Empty>No deliveries yet.</Empty>;
  return (
    <DataTable
      caption="Latest deliveries"
      captionVisible
      columns={["Event", "Status", "Attempts", "Last answer", "Created"]}
    >
      {deliveries.data.data.map((delivery) => (
        <tr key={delivery.id}>
          <th scope="row">{delivery.event_type}</th>
          <td>
            <StatusBadge status={delivery.status} />
          </td>
          <td>{delivery.attempts}</td>
          <td>
            {delivery.last_error ?? (delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : "—")}
          </td>
          <td>{formatDateTime(delivery.created_at)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

interface WebhookCardProps {
  webhook: Webhook;
  onEdit: () => void;
  onChanged: (message: string) => void;
  onSecret: (label: string, secret: string) => void;
}

function WebhookCard({ webhook, onEdit, onChanged, onSecret }: WebhookCardProps) {
  const api = useApi();
  const [ping, setPing] = useState<WebhookPing | null>(null);
  const { error, run } = useItemAction();
  const [showDeliveries, setShowDeliveries] = useState(false);
  const verify = () =>
    run(async () => {
      setPing(await verifyWebhook(api, webhook.id));
      onChanged(`Pinged ${webhook.url}.`);
    });
  const rotate = () =>
    run(async () => {
      const rotated = await rotateWebhookSecret(api, webhook.id);
      onSecret(`New signing secret for ${webhook.url}`, rotated.secret);
    }, "Rotate the signing secret? The old one keeps signing beside the new one for 24 hours.");
  const toggle = () =>
    run(async () => {
      await updateWebhook(api, webhook.id, { enabled: !webhook.enabled });
      onChanged(`${webhook.url} is now ${webhook.enabled ? "disabled" : "enabled"}.`);
    });
  const remove = () =>
    run(async () => {
      await deleteWebhook(api, webhook.id);
      onChanged(`Removed ${webhook.url}.`);
    }, `Remove the webhook ${webhook.url}? Its pending deliveries are given up.`);
  return (
    <li class="card" data-testid="webhook-card">
      <div class="page-head">
        <h2 class="wrap">{webhook.url}</h2>
        <StatusBadge status={webhook.enabled ? webhook.health.status : "paused"} />
        <StatusBadge status={webhook.verification_status} />
      </div>
      {webhook.description && <p>{webhook.description}</p>}
      <p class="muted">
        Events: {webhook.events.join(", ")} · last success {formatDateTime(webhook.health.last_success_at)} ·
        failures in a row {webhook.health.consecutive_failures} · dead deliveries{" "}
        {webhook.health.dead_deliveries}
      </p>
      {webhook.previous_secret_expires_at && (
        <p class="muted">
          The previous secret still signs until {formatDateTime(webhook.previous_secret_expires_at)}.
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={verify}>
          Send a ping
        </button>
        <button type="button" class="secondary" onClick={onEdit}>
          Edit
        </button>
        <button type="button" class="secondary" onClick={toggle}>
          {webhook.enabled ? "Disable" : "Enable"}
        </button>
        <button type="button" class="secondary" onClick={rotate}>
          Rotate secret
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={showDeliveries}
          onClick={() => setShowDeliveries(!showDeliveries)}
        >
          Deliveries
        </button>
        <button type="button" class="danger" onClick={remove}>
          Remove
        </button>
      </div>
      {error !== null && <ErrorMessage error={error} />}
      {ping && <PingResult ping={ping} />}
      {showDeliveries && <Deliveries webhookId={webhook.id} />}
    </li>
  );
}

export function WebhooksPage() {
  const api = useApi();
  const editor = useEditor<Webhook>();
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const webhooks = usePagedList((cursor) => listWebhooks(api, { cursor, limit: 25 }), {});
  const { message, changed } = useChangeMessage(webhooks.reload);
  const showSecret = (label: string, value: string) => {
    setSecret({ label, value });
    webhooks.reload();
  };
  return (
    <>
      <div class="page-head">
        <h1>Webhooks</h1>
        <button type="button" onClick={editor.create}>
          New webhook
        </button>
      </div>
      <p class="muted">
        The server POSTs a signed JSON event to each endpoint when something happens (README, "Webhooks").
      </p>
      {message && <Notice>{message}</Notice>}
      {secret && <SecretOnce label={secret.label} secret={secret.value} onDismiss={() => setSecret(null)} />}
      {editor.open && (
        <WebhookForm
          key={editor.key}
          webhook={editor.item}
          onCancel={editor.close}
          onCreated={(created) => {
            editor.close();
            showSecret(`Signing secret for ${created.url}`, created.secret);
          }}
          onUpdated={(updated) => {
            editor.close();
            changed(`Saved ${updated.url}.`);
          }}
        />
      )}
      <PagedList list={webhooks} loadingWhat="webhooks" empty="No webhooks yet." label="Webhooks">
        {(items) => (
          <ul class="cards">
            {items.map((webhook) => (
              <WebhookCard
                key={webhook.id}
                webhook={webhook}
                onEdit={() => editor.edit(webhook)}
                onChanged={changed}
                onSecret={showSecret}
              />
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
