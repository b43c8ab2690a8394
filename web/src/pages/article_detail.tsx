// One article: its preview (fetched with the credential, shown in a sandboxed frame through
// srcdoc so nothing in it can run) beside its analysis (every assessment's rating and message,
// and the metrics), and a form that publishes it to a site with a publish job.
import { useMemo, useState } from "preact/hooks";
import { createJob, getArticleAnalysis, getArticlePreview } from "../api/endpoints";
import type { ArticleAnalysis, Assessment } from "../api/types";
import { siteChoices } from "../choices";
import { ScoreBadge, StatusBadge } from "../components/badges";
import { ErrorMessage, Loading } from "../components/feedback";
import { SelectField } from "../components/fields";
import { FormCard } from "../components/form_card";
import { PublishFields } from "../components/publish_fields";
import { formatNumber } from "../format";
import { useApi, useFormSubmit, useResource, useSitesByName } from "../hooks";
import { href, navigate } from "../router";
import previewStylesheet from "../preview.css?url";

/** Articles are stored at `articles/{agent_id}/{slug}.md` (README, "Content jobs"). */
export function agentIdOf(s3Key: string): string | null {
  return s3Key.match(/^articles\/([^/]+)\//)?.[1] ?? null;
}

/**
 * The preview page with its inline style swapped for the dashboard's own stylesheet. The style
 * block goes before parsing: Chromium checks the page's CSP even for a DOMParser document.
 */
export function previewDocument(html: string, stylesheetUrl: string): string {
  const withoutStyles = html.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, "");
  const doc = new DOMParser().parseFromString(withoutStyles, "text/html");
  doc.querySelectorAll("script").forEach((element) => element.remove());
  const link = doc.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL(stylesheetUrl, window.location.href).href;
  doc.head.append(link);
  return `<!DOCTYPE html>${doc.documentElement.outerHTML}`;
}

function Preview({ s3Key, title }: { s3Key: string; title: string }) {
  const api = useApi();
  const html = useResource(() => getArticlePreview(api, s3Key), [s3Key]);
  const srcdoc = useMemo(
    () => (html.data ? previewDocument(html.data, previewStylesheet) : null),
    [html.data],
  );
  if (html.error) return <ErrorMessage error={html.error} title="Preview" />;
  if (!srcdoc) return <Loading what="the preview" />;
  return (
    <iframe
      class="preview"
      title={`Preview of ${title}`}
      sandbox=""
      srcdoc={srcdoc}
      data-testid="preview-frame"
    />
  );
}

const CATEGORY_TITLES: Record<Assessment["category"], string> = { seo: "SEO", readability: "Readability" };

function AssessmentList({
  category,
  assessments,
}: {
  category: Assessment["category"];
  assessments: Assessment[];
}) {
  const mine = assessments.filter((assessment) => assessment.category === category);
  return (
    <section aria-labelledby={`assessments-${category}`}>
      <h3 id={`assessments-${category}`}>{CATEGORY_TITLES[category]} assessments</h3>
      <ul class="assessments" data-testid={`assessments-${category}`}>
        {mine.map((assessment) => (
          <li key={assessment.id} class={`assessment assessment-${assessment.rating}`}>
            <StatusBadge status={assessment.rating} />
            <span>
              <strong>{assessment.id.replace(/_/g, " ")}</strong>: {assessment.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Metrics({ analysis }: { analysis: ArticleAnalysis }) {
  const metrics = analysis.metrics;
  const rows: [string, string][] = [
    ["Words", formatNumber(metrics.word_count)],
    ["Sentences", formatNumber(metrics.sentence_count)],
    ["Paragraphs", formatNumber(metrics.paragraph_count)],
    ["Subheadings", formatNumber(metrics.subheading_count)],
    ["Keyphrase uses", formatNumber(metrics.keyphrase_count)],
    ["Keyphrase density", `${formatNumber(metrics.keyphrase_density, 2)} %`],
    ["Flesch reading ease", formatNumber(metrics.flesch_reading_ease, 1)],
    ["Title width", `${formatNumber(metrics.title_width_px)} px`],
    ["Meta description", `${formatNumber(metrics.meta_description_length)} characters`],
  ];
  return (
    <dl class="pairs">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Analysis({ analysis }: { analysis: ArticleAnalysis }) {
  return (
    <section class="card" aria-labelledby="analysis-title" data-testid="analysis">
      <h2 id="analysis-title">Analysis</h2>
      <p>
        Keyphrase <strong>{analysis.keyword}</strong> · SEO{" "}
        <ScoreBadge score={analysis.seo_score} label="SEO score" /> · Readability{" "}
        <ScoreBadge score={analysis.readability_score} label="Readability score" />
      </p>
      <Metrics analysis={analysis} />
      <AssessmentList category="seo" assessments={analysis.assessments} />
      <AssessmentList category="readability" assessments={analysis.assessments} />
    </section>
  );
}

const PUBLISH_FIELDS = ["site_id", "publish_action", "status_on_publish", "s3_key", "agent_id"] as const;

function PublishForm({ s3Key }: { s3Key: string }) {
  const api = useApi();
  const sites = useSitesByName();
  const [siteId, setSiteId] = useState("");
  const [action, setAction] = useState("publish");
  const [status, setStatus] = useState("draft");
  const agentId = agentIdOf(s3Key);
  const siteList = sites.data?.data ?? [];
  const { errors, submit } = useFormSubmit(PUBLISH_FIELDS, async () => {
    const job = await createJob(api, {
      agent_id: agentId ?? "",
      job_type: "publish",
      s3_key: s3Key,
      ...(siteId ? { site_id: siteId } : {}),
      publish_action: action,
      status_on_publish: status,
    });
    navigate("jobs", job.job_id);
  });
  const noSiteYet = siteList.length === 0 && sites.data && (
    <p>
      No site yet: <a href={href("sites")}>register a WordPress site</a> first.
    </p>
  );
  return (
    <FormCard
      titleId="publish-title"
      title="Publish to WordPress"
      onSubmit={submit}
      error={errors.general}
      intro={noSiteYet}
    >
      <SelectField
        id="publish-site"
        label="Site"
        value={siteId}
        options={siteChoices(siteList, "The agent's site")}
        onChange={setSiteId}
        error={errors.fields.site_id}
      />
      <PublishFields
        idPrefix="publish"
        action={action}
        status={status}
        onAction={setAction}
        onStatus={setStatus}
        errors={errors}
      />
      <div class="form-actions">
        <button type="submit">Publish</button>
      </div>
    </FormCard>
  );
}

export function ArticleDetail({ s3Key }: { s3Key: string }) {
  const api = useApi();
  const analysis = useResource(() => getArticleAnalysis(api, s3Key), [s3Key]);
  const title = analysis.data?.title ?? s3Key;
  return (
    <>
      <p>
        <a href={href("articles")}>← All articles</a>
      </p>
      <h1 class="wrap">{title}</h1>
      <p class="muted wrap">{s3Key}</p>
      {analysis.error && <ErrorMessage error={analysis.error} title="Analysis" />}
      <div class="split">
        <Preview s3Key={s3Key} title={title} />
        {analysis.data ? (
          <Analysis analysis={analysis.data} />
        ) : (
          !analysis.error && <Loading what="the analysis" />
        )}
      </div>
      <PublishForm s3Key={s3Key} />
    </>
  );
}
