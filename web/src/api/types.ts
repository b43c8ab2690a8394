// The API's resources as the dashboard reads them (docs/openapi.yaml, components/schemas).
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface ErrorDetail {
  field: string;
  issue: string;
}

export interface ErrorEnvelope {
  message: string;
  code: string;
  request_id: string;
  details?: ErrorDetail[];
}

export const TONES = [
  "professional",
  "casual",
  "friendly",
  "authoritative",
  "technical",
  "persuasive",
  "informative",
] as const;
export const SCHEDULES = ["none", "daily", "weekly", "monthly"] as const;
export const JOB_TYPES = ["create", "enhance", "optimize", "publish", "audit"] as const;
export const JOB_STATUSES = ["pending", "processing", "completed", "failed", "cancelled"] as const;
export const PUBLISH_ACTIONS = ["publish", "elementor_publish"] as const;
export const PUBLISH_STATUSES = ["draft", "publish", "pending", "private"] as const;
export const WEBHOOK_EVENTS = [
  "job.completed",
  "job.failed",
  "article.published",
  "rank.alert",
  "audit.completed",
] as const;

export type JobType = (typeof JOB_TYPES)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface Agent {
  id: string;
  name: string;
  keywords: string[];
  tone: string;
  word_target: number;
  schedule: string;
  site_id: string | null;
  status: "active" | "paused" | "deleted";
  created_at: string;
  updated_at: string;
}

export interface AgentInput {
  name?: string;
  keywords?: string[];
  tone?: string;
  word_target?: number;
  schedule?: string;
  site_id?: string | null;
  status?: "active" | "paused";
}

export interface Job {
  job_id: string;
  job_type: JobType;
  status: JobStatus;
  agent_id: string;
  keyword?: string | null;
  s3_key?: string | null;
  site_id?: string | null;
  publish_action?: string | null;
  status_on_publish?: string | null;
  origin?: string;
  attempts: number;
  max_attempts: number;
  cancel_requested?: boolean;
  next_attempt_at?: string | null;
  error?: string | null;
  result?: Record<string, unknown> | null;
  created_at: string;
  updated_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface JobInput {
  agent_id: string;
  job_type: JobType;
  keyword?: string;
  s3_key?: string;
  site_id?: string;
  publish_action?: string;
  status_on_publish?: string;
}

export interface JobAccepted {
  job_id: string;
  status: "pending";
  keyword: string | null;
  agent_id: string;
  created_at: string;
}

export interface ProgressEvent {
  seq: number;
  ts: string;
  step: string;
  percent: number;
  message: string;
}

export interface JobProgress {
  job_id: string;
  job_type: string;
  status: JobStatus;
  events: ProgressEvent[];
}

export interface Article {
  s3_key: string;
  agent_id: string;
  title: string;
  keyword: string;
  slug: string;
  word_count: number;
  seo_score: number;
  readability_score: number;
  status: "active" | "expired";
  version: number;
  wp_post_id: number | null;
  wp_url: string | null;
  wp_status: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

export interface Assessment {
  id: string;
  category: "seo" | "readability";
  score: number;
  rating: "good" | "ok" | "bad";
  message: string;
}

export interface ArticleAnalysis {
  s3_key: string;
  keyword: string;
  title: string;
  seo_score: number;
  readability_score: number;
  metrics: {
    word_count: number;
    sentence_count: number;
    paragraph_count: number;
    subheading_count: number;
    keyphrase_count: number;
    keyphrase_density: number;
    flesch_reading_ease: number;
    title_width_px: number;
    meta_description_length: number;
  };
  assessments: Assessment[];
}

export interface Site {
  id: string;
  name: string;
  url: string;
  username: string;
  has_credentials: boolean;
  verification_status: "unverified" | "verified" | "failed";
  last_verified_at: string | null;
  rank_alert_threshold: number;
  created_at: string;
  updated_at: string;
}

export interface SiteInput {
  url?: string;
  name?: string;
  username?: string;
  application_password?: string;
  rank_alert_threshold?: number;
}

export interface SiteVerification {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  wordpress: { name?: string; url?: string } | null;
  user: { id?: number; name?: string; can_publish?: boolean } | null;
  latency_ms: number;
}

export interface Stats {
  active_agents: number;
  total_articles: number;
  avg_score: number | null;
  jobs: { pending: number; processing: number; completed_24h: number; failed_24h: number };
}

export interface ChartData {
  days: number;
  activity: { date: string; jobs_created: number; jobs_completed: number; articles: number }[];
  categories: { agent_id: string; name: string; articles: number; avg_score: number | null }[];
  job_types: Record<string, { created: number; completed: number; failed: number }>;
}

export interface WebhookHealth {
  status: "healthy" | "failing" | "unknown";
  last_success_at: string | null;
  last_failure_at: string | null;
  consecutive_failures: number;
  dead_deliveries: number;
}

export interface Webhook {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  verification_status: "unverified" | "verified";
  last_verified_at: string | null;
  previous_secret_expires_at: string | null;
  health: WebhookHealth;
  created_at: string;
  updated_at: string;
}

export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export interface WebhookInput {
  url?: string;
  events?: string[];
  description?: string;
  enabled?: boolean;
}

export interface WebhookPing {
  ok: boolean;
  event_id: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string;
  webhook: Webhook;
}

export interface WebhookDelivery {
  id: string;
  event_id: string;
  event_type: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyWithSecret extends ApiKey {
  key: string;
}

export interface Account {
  id: string;
  name: string;
  plan: string;
  authenticated_with: "api_key" | "jwt";
  limits: { requests_per_minute: number; concurrent_jobs: number };
}
