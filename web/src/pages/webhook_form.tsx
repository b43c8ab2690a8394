// The form that registers a webhook endpoint or edits one: URL, events and description.
import { useState } from "preact/hooks";
import { createWebhook, updateWebhook } from "../api/endpoints";
import type { Webhook, WebhookWithSecret } from "../api/types";
import { WEBHOOK_EVENTS } from "../api/types";
import { CheckboxGroup, TextField } from "../components/fields";
import { FormCard, SaveOrCancel } from "../components/form_card";
import { useApi, useFormSubmit } from "../hooks";

const WEBHOOK_FIELDS = ["url", "events", "description"] as const;

interface WebhookFormProps {
  webhook: Webhook | null;
  onCreated: (webhook: WebhookWithSecret) => void;
  onUpdated: (webhook: Webhook) => void;
  onCancel: () => void;
}

export function WebhookForm({ webhook, onCreated, onUpdated, onCancel }: WebhookFormProps) {
  const api = useApi();
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [events, setEvents] = useState<string[]>(webhook?.events ?? ["job.completed", "job.failed"]);
  const [description, setDescription] = useState(webhook?.description ?? "");
  const prefix = webhook ? "edit-webhook" : "new-webhook";

  const { errors, submit } = useFormSubmit(WEBHOOK_FIELDS, async () => {
    const input = { url: url.trim(), events, description };
    if (webhook) onUpdated(await updateWebhook(api, webhook.id, input));
    else onCreated(await createWebhook(api, input));
  });

  return (
    <FormCard
      titleId={`${prefix}-title`}
      title={webhook ? "Edit webhook" : "New webhook"}
      onSubmit={submit}
      error={errors.general}
    >
      <TextField
        id={`${prefix}-url`}
        label="Endpoint URL"
        type="url"
        value={url}
        onInput={setUrl}
        error={errors.fields.url}
        placeholder="https://hooks.example.com/seo"
      />
      <CheckboxGroup
        id={`${prefix}-events`}
        legend="Events"
        values={WEBHOOK_EVENTS}
        selected={events}
        onChange={setEvents}
        error={errors.fields.events}
      />
      <TextField
        id={`${prefix}-description`}
        label="Description"
        value={description}
        onInput={setDescription}
        error={errors.fields.description}
      />
      <SaveOrCancel label={webhook ? "Save webhook" : "Create webhook"} onCancel={onCancel} />
    </FormCard>
  );
}
