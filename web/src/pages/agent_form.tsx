// The form that creates an agent or edits one: name, keywords, tone, word target, schedule and
// site. The API checks every value; its complaints appear next to the field they name.
import { useState } from "preact/hooks";
import { createAgent, updateAgent } from "../api/endpoints";
import type { Agent, AgentInput, Site } from "../api/types";
import { SCHEDULES, TONES } from "../api/types";
import { siteChoices } from "../choices";
import { choices, SelectField, TextAreaField, TextField } from "../components/fields";
import { FormCard, SaveOrCancel } from "../components/form_card";
import { parseKeywords } from "../forms";
import { useApi, useFormSubmit } from "../hooks";

const AGENT_FIELDS = ["name", "keywords", "tone", "word_target", "schedule", "site_id"] as const;

interface AgentFormProps {
  agent: Agent | null;
  sites: Site[];
  onSaved: (agent: Agent) => void;
  onCancel: () => void;
}

/** A number when the text is one; otherwise the text itself, for the API to refuse by name. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

export function AgentForm({ agent, sites, onSaved, onCancel }: AgentFormProps) {
  const api = useApi();
  const [name, setName] = useState(agent?.name ?? "");
  const [keywords, setKeywords] = useState(agent?.keywords.join("\n") ?? "");
  const [tone, setTone] = useState(agent?.tone ?? "professional");
  const [wordTarget, setWordTarget] = useState(String(agent?.word_target ?? 1500));
  const [schedule, setSchedule] = useState(agent?.schedule ?? "none");
  const [siteId, setSiteId] = useState(agent?.site_id ?? "");
  const prefix = agent ? `edit-agent` : "new-agent";

  const input = (): AgentInput => ({
    name: name.trim(),
    keywords: parseKeywords(keywords),
    tone,
    word_target: numberOrText(wordTarget) as number,
    schedule,
    site_id: siteId === "" ? null : siteId,
  });

  const { errors, busy, submit } = useFormSubmit(AGENT_FIELDS, async () => {
    onSaved(agent ? await updateAgent(api, agent.id, input()) : await createAgent(api, input()));
  });

  return (
    <FormCard
      titleId={`${prefix}-title`}
      title={agent ? `Edit ${agent.name}` : "New agent"}
      onSubmit={submit}
      error={errors.general}
    >
      <TextField
        id={`${prefix}-name`}
        label="Name"
        value={name}
        onInput={setName}
        error={errors.fields.name}
      />
      <TextAreaField
        id={`${prefix}-keywords`}
        label="Keywords"
        value={keywords}
        onInput={setKeywords}
        error={errors.fields.keywords}
        hint="One per line (or separated by commas). Create jobs use them in turn."
        rows={4}
      />
      <SelectField
        id={`${prefix}-tone`}
        label="Tone"
        value={tone}
        options={choices(TONES)}
        onChange={setTone}
        error={errors.fields.tone}
      />
      <TextField
        id={`${prefix}-word-target`}
        label="Word target"
        type="number"
        value={wordTarget}
        onInput={setWordTarget}
        error={errors.fields.word_target}
        hint="300 to 10,000 words."
      />
      <SelectField
        id={`${prefix}-schedule`}
        label="Schedule"
        value={schedule}
        options={choices(SCHEDULES)}
        onChange={setSchedule}
        error={errors.fields.schedule}
        hint="A scheduled agent gets one create job per day, week or month."
      />
      <SelectField
        id={`${prefix}-site`}
        label="Site"
        value={siteId}
        options={siteChoices(sites, "No site")}
        onChange={setSiteId}
        error={errors.fields.site_id}
      />
      <SaveOrCancel label={agent ? "Save agent" : "Create agent"} busy={busy} onCancel={onCancel} />
    </FormCard>
  );
}
