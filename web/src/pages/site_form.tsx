// The form that registers a WordPress site or edits one: URL, name, user, application password
// (write-only: left empty when editing, the stored one stays) and the rank alert threshold.
import { useState } from "preact/hooks";
import { createSite, updateSite } from "../api/endpoints";
import type { Site, SiteInput } from "../api/types";
import { TextField } from "../components/fields";
import { FormCard, SaveOrCancel } from "../components/form_card";
import { useApi, useFormSubmit } from "../hooks";
import { numberOrText } from "./agent_form";

const SITE_FIELDS = ["url", "name", "username", "application_password", "rank_alert_threshold"] as const;

interface SiteFormProps {
  site: Site | null;
  onSaved: (site: Site) => void;
  onCancel: () => void;
}

export function SiteForm({ site, onSaved, onCancel }: SiteFormProps) {
  const api = useApi();
  const [url, setUrl] = useState(site?.url ?? "");
  const [name, setName] = useState(site?.name ?? "");
  const [username, setUsername] = useState(site?.username ?? "");
  const [password, setPassword] = useState("");
  const [threshold, setThreshold] = useState(String(site?.rank_alert_threshold ?? 3));
  const prefix = site ? "edit-site" : "new-site";

  const input = (): SiteInput => {
    const fields: SiteInput = {
      url: url.trim(),
      name: name.trim(),
      username: username.trim(),
      rank_alert_threshold: numberOrText(threshold) as number,
    };
    if (!site || password !== "") fields.application_password = password;
    return fields;
  };

  const { errors, busy, submit } = useFormSubmit(SITE_FIELDS, async () => {
    onSaved(site ? await updateSite(api, site.id, input()) : await createSite(api, input()));
  });

  return (
    <FormCard
      titleId={`${prefix}-title`}
      title={site ? `Edit ${site.name}` : "Register a WordPress site"}
      onSubmit={submit}
      error={errors.general}
    >
      <TextField
        id={`${prefix}-url`}
        label="Site URL"
        type="url"
        value={url}
        onInput={setUrl}
        error={errors.fields.url}
        placeholder="https://blog.example.com"
      />
      <TextField
        id={`${prefix}-name`}
        label="Name"
        value={name}
        onInput={setName}
        error={errors.fields.name}
      />
      <TextField
        id={`${prefix}-username`}
        label="WordPress user"
        value={username}
        onInput={setUsername}
        error={errors.fields.username}
        autoComplete="off"
      />
      <TextField
        id={`${prefix}-password`}
        label="Application password"
        type="password"
        value={password}
        onInput={setPassword}
        error={errors.fields.application_password}
        autoComplete="new-password"
        hint={
          site
            ? "Leave empty to keep the stored one."
            : "From the user's profile in WordPress: Application Passwords."
        }
      />
      <TextField
        id={`${prefix}-threshold`}
        label="Rank alert threshold"
        type="number"
        value={threshold}
        onInput={setThreshold}
        error={errors.fields.rank_alert_threshold}
        hint="A keyword moving by at least this many positions raises a rank alert (1–100)."
      />
      <SaveOrCancel label={site ? "Save site" : "Register site"} busy={busy} onCancel={onCancel} />
    </FormCard>
  );
}
