// The form that starts a job: its type, the agent, and that type's own fields (a keyword for
// create; an article for enhance, optimize and publish; a site for publish and audit; how and
// with which status to publish). On success the job's page opens to follow it.
import { useState } from "preact/hooks";
import { createJob, listArticles } from "../api/endpoints";
import type { Agent, JobInput, JobType } from "../api/types";
import { JOB_TYPES } from "../api/types";
import { siteChoices } from "../choices";
import { choices, SelectField, TextField } from "../components/fields";
import { FormCard } from "../components/form_card";
import { PublishFields } from "../components/publish_fields";
import { useApi, useFormSubmit, useResource, useSitesByName } from "../hooks";
import { navigate } from "../router";

const JOB_FIELDS = [
  "agent_id",
  "job_type",
  "keyword",
  "s3_key",
  "site_id",
  "publish_action",
  "status_on_publish",
] as const;
const NEEDS_ARTICLE: ReadonlySet<JobType> = new Set(["enhance", "optimize", "publish"]);
const NEEDS_SITE: ReadonlySet<JobType> = new Set(["publish", "audit"]);

export function JobStartForm({ agents }: { agents: Agent[] }) {
  const api = useApi();
  const [jobType, setJobType] = useState<JobType>("create");
  const [agentId, setAgentId] = useState(agents[0]?.id ?? "");
  const [keyword, setKeyword] = useState("");
  const [s3Key, setS3Key] = useState("");
  const [siteId, setSiteId] = useState("");
  const [publishAction, setPublishAction] = useState("publish");
  const [publishStatus, setPublishStatus] = useState("draft");
  const articles = useResource(
    () => (agentId ? listArticles(api, { agent_id: agentId, limit: 100 }) : Promise.resolve(null)),
    [agentId],
  );
  const sites = useSitesByName();

  const input = (): JobInput => {
    const job: JobInput = { agent_id: agentId, job_type: jobType };
    if (jobType === "create" && keyword.trim()) job.keyword = keyword.trim();
    if (NEEDS_ARTICLE.has(jobType)) job.s3_key = s3Key;
    if (NEEDS_SITE.has(jobType) && siteId) job.site_id = siteId;
    if (jobType === "publish")
      Object.assign(job, { publish_action: publishAction, status_on_publish: publishStatus });
    return job;
  };

  const { errors, busy, submit } = useFormSubmit(JOB_FIELDS, async () => {
    const accepted = await createJob(api, input());
    navigate("jobs", accepted.job_id);
  });

  const agentChoices = agents.map((agent) => ({ value: agent.id, label: `${agent.name} (${agent.status})` }));
  const activeArticles = (articles.data?.data ?? []).filter((article) => article.status === "active");
  const articleChoices = [
    { value: "", label: activeArticles.length ? "Choose an article" : "This agent has no articles yet" },
    ...activeArticles.map((article) => ({
      value: article.s3_key,
      label: `${article.title} (score ${article.seo_score})`,
    })),
  ];
  return (
    <FormCard titleId="start-job-title" title="Start a job" onSubmit={submit} error={errors.general}>
      <SelectField
        id="job-type"
        label="Job type"
        value={jobType}
        options={choices(JOB_TYPES)}
        onChange={(value) => setJobType(value as JobType)}
        error={errors.fields.job_type}
      />
      <SelectField
        id="job-agent"
        label="Agent"
        value={agentId}
        options={agentChoices}
        onChange={setAgentId}
        error={errors.fields.agent_id}
      />
      {jobType === "create" && (
        <TextField
          id="job-keyword"
          label="Keyword"
          value={keyword}
          onInput={setKeyword}
          error={errors.fields.keyword}
          hint="Optional: without one, the agent's keywords are used in turn."
        />
      )}
      {NEEDS_ARTICLE.has(jobType) && (
        <SelectField
          id="job-article"
          label="Article"
          value={s3Key}
          options={articleChoices}
          onChange={setS3Key}
          error={errors.fields.s3_key}
        />
      )}
      {NEEDS_SITE.has(jobType) && (
        <SelectField
          id="job-site"
          label="Site"
          value={siteId}
          options={siteChoices(sites.data?.data ?? [], "The agent's site")}
          onChange={setSiteId}
          error={errors.fields.site_id}
        />
      )}
      {jobType === "publish" && (
        <PublishFields
          idPrefix="job-publish"
          action={publishAction}
          status={publishStatus}
          onAction={setPublishAction}
          onStatus={setPublishStatus}
          errors={errors}
        />
      )}
      <div class="form-actions">
        <button type="submit" disabled={busy || agents.length === 0}>
          Start {jobType} job
        </button>
      </div>
    </FormCard>
  );
}
