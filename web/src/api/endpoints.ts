// Every API route the dashboard calls, one small function each, named for what it does.
import type { ApiClient } from "./client";
import type {
  Account,
  Agent,
  AgentInput,
  ApiKey,
  ApiKeyWithSecret,
  Article,
  ArticleAnalysis,
  ChartData,
  Job,
  JobAccepted,
  JobInput,
  JobProgress,
  Page,
  Site,
  SiteInput,
  SiteVerification,
  Stats,
  Webhook,
  WebhookDelivery,
  WebhookInput,
  WebhookPing,
  WebhookWithSecret,
} from "./types";

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
}

const id = encodeURIComponent;

export const getAccount = (api: ApiClient) => api.json<Account>("GET", "/account");
export const getStats = (api: ApiClient) => api.json<Stats>("GET", "/stats");
export const getChartData = (api: ApiClient, days: number) =>
  api.json<ChartData>("GET", "/chart-data", { query: { days } });

export const listAgents = (api: ApiClient, query: PageQuery & { status?: string }) =>
  api.json<Page<Agent>>("GET", "/agents", { query: { ...query } });
export const createAgent = (api: ApiClient, input: AgentInput) =>
  api.json<Agent>("POST", "/agents", { body: input });
export const updateAgent = (api: ApiClient, agentId: string, input: AgentInput) =>
  api.json<Agent>("PUT", `/agents/${id(agentId)}`, { body: input });
export const deleteAgent = (api: ApiClient, agentId: string) =>
  api.json<Agent>("DELETE", `/agents/${id(agentId)}`);

export const listJobs = (
  api: ApiClient,
  query: PageQuery & { agent_id?: string; status?: string; job_type?: string },
) => api.json<Page<Job>>("GET", "/jobs", { query: { ...query } });
export const createJob = (api: ApiClient, input: JobInput) =>
  api.json<JobAccepted>("POST", "/jobs", { body: input });
export const getJob = (api: ApiClient, jobId: string) => api.json<Job>("GET", `/jobs/${id(jobId)}`);
export const cancelJob = (api: ApiClient, jobId: string) =>
  api.json<Job>("POST", `/jobs/${id(jobId)}/cancel`);
export const getJobProgress = (api: ApiClient, jobId: string, since: string | null) =>
  api.json<JobProgress>("GET", `/jobs/${id(jobId)}/progress`, { query: { since } });

export const listArticles = (api: ApiClient, query: PageQuery & { agent_id?: string; min_score?: string }) =>
  api.json<Page<Article>>("GET", "/articles", { query: { ...query } });
export const getArticleAnalysis = (api: ApiClient, s3Key: string) =>
  api.json<ArticleAnalysis>("GET", "/articles/analysis", { query: { s3_key: s3Key } });
export const getArticlePreview = (api: ApiClient, s3Key: string) => api.text("/preview", { s3_key: s3Key });

export const listSites = (api: ApiClient, query: PageQuery) =>
  api.json<Page<Site>>("GET", "/sites", { query: { ...query } });
export const createSite = (api: ApiClient, input: SiteInput) =>
  api.json<Site>("POST", "/sites", { body: input });
export const updateSite = (api: ApiClient, siteId: string, input: SiteInput) =>
  api.json<Site>("PUT", `/sites/${id(siteId)}`, { body: input });
export const deleteSite = (api: ApiClient, siteId: string) =>
  api.json<Site>("DELETE", `/sites/${id(siteId)}`);
export const verifySite = (api: ApiClient, siteId: string) =>
  api.json<SiteVerification>("POST", `/sites/${id(siteId)}/verify`);

export const listWebhooks = (api: ApiClient, query: PageQuery) =>
  api.json<Page<Webhook>>("GET", "/webhooks", { query: { ...query } });
export const createWebhook = (api: ApiClient, input: WebhookInput) =>
  api.json<WebhookWithSecret>("POST", "/webhooks", { body: input });
export const updateWebhook = (api: ApiClient, webhookId: string, input: WebhookInput) =>
  api.json<Webhook>("PUT", `/webhooks/${id(webhookId)}`, { body: input });
export const deleteWebhook = (api: ApiClient, webhookId: string) =>
  api.json<Webhook>("DELETE", `/webhooks/${id(webhookId)}`);
export const verifyWebhook = (api: ApiClient, webhookId: string) =>
  api.json<WebhookPing>("POST", `/webhooks/${id(webhookId)}/verify`);
export const rotateWebhookSecret = (api: ApiClient, webhookId: string) =>
  api.json<WebhookWithSecret>("POST", `/webhooks/${id(webhookId)}/rotate-secret`);
export const listWebhookDeliveries = (api: ApiClient, webhookId: string, query: PageQuery) =>
  api.json<Page<WebhookDelivery>>("GET", `/webhooks/${id(webhookId)}/deliveries`, {
    query: { ...query },
  });

export const listApiKeys = (api: ApiClient, query: PageQuery) =>
  api.json<Page<ApiKey>>("GET", "/api-keys", { query: { ...query } });
export const createApiKey = (api: ApiClient, name: string) =>
  api.json<ApiKeyWithSecret>("POST", "/api-keys", { body: { name } });
export const revokeApiKey = (api: ApiClient, keyId: string) =>
  api.json<ApiKey>("DELETE", `/api-keys/${id(keyId)}`);
