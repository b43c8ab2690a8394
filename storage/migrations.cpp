// Schema migrations. Times are INTEGER milliseconds since the Unix epoch (UTC); ids are the
// API's ids ("agent-1a2b3c4d"). Never edit a released migration: add a new one.
#include "storage/migrations.hpp"

#include <stdexcept>
#include <string>

namespace seoagents::storage {
namespace {

constexpr Migration kMigrations[] = {
    {1, "accounts and API keys", R"sql(
CREATE TABLE accounts (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  plan        TEXT NOT NULL CHECK (plan IN ('starter', 'professional', 'agency', 'enterprise')),
  -- limits of an enterprise account (NULL: the plan's)
  requests_per_minute INTEGER,
  concurrent_jobs     INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_keys_by_account ON api_keys (account_id, created_at, id);
)sql"},
    {2, "WordPress sites and agents", R"sql(
CREATE TABLE sites (
  id                  TEXT PRIMARY KEY,
  account_id          TEXT NOT NULL REFERENCES accounts(id),
  name                TEXT NOT NULL,
  url                 TEXT NOT NULL,
  username            TEXT NOT NULL,
  -- AES-256-GCM of the application password: nonce | ciphertext | tag
  password_sealed     BLOB NOT NULL,
  verification_status TEXT NOT NULL DEFAULT 'unverified',
  last_verified_at    INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX sites_by_created ON sites (account_id, created_at, id);
CREATE INDEX sites_by_updated ON sites (account_id, updated_at, id);
CREATE INDEX sites_by_name ON sites (account_id, name, id);
CREATE TABLE agents (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  name        TEXT NOT NULL,
  -- JSON array of strings
  keywords    TEXT NOT NULL,
  tone        TEXT NOT NULL,
  word_target INTEGER NOT NULL,
  schedule    TEXT NOT NULL,
  site_id     TEXT REFERENCES sites(id),
  status      TEXT NOT NULL CHECK (status IN ('active', 'paused', 'deleted')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX agents_by_created ON agents (account_id, created_at, id);
CREATE INDEX agents_by_updated ON agents (account_id, updated_at, id);
CREATE INDEX agents_by_name ON agents (account_id, name, id);
)sql"},
    {3, "idempotency keys", R"sql(
CREATE TABLE idempotency_keys (
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  key          TEXT NOT NULL,
  -- SHA-256 of method, path and body: the same key with another request is refused
  fingerprint  TEXT NOT NULL,
  -- NULL while the first request is being carried out
  status       INTEGER,
  content_type TEXT,
  body         BLOB,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
)sql"},
    {4, "JWT subjects", R"sql(
-- The account of each JWT subject (Cognito's user id), created by its first valid token.
CREATE TABLE jwt_subjects (
  sub         TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL UNIQUE REFERENCES accounts(id),
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    {5, "jobs, progress events, articles and dashboard counters", R"sql(
-- The durable queue. A job is claimed with a lease (token + expiry); every later write of its
-- state names the token, so a worker that lost the lease cannot overwrite it.
CREATE TABLE jobs (
  id               TEXT PRIMARY KEY,
  account_id       TEXT NOT NULL REFERENCES accounts(id),
  agent_id         TEXT NOT NULL REFERENCES agents(id),
  job_type         TEXT NOT NULL
                   CHECK (job_type IN ('create', 'enhance', 'optimize', 'publish', 'audit')),
  status           TEXT NOT NULL
                   CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  -- 'api' or 'schedule'
  origin           TEXT NOT NULL,
  keyword          TEXT,
  s3_key           TEXT,
  site_id          TEXT,
  publish_action   TEXT,
  status_on_publish TEXT,
  -- attempts started; a lease that expired used one up
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  -- not claimed before this time (retry backoff)
  run_after        INTEGER NOT NULL,
  lease_token      TEXT,
  lease_expires_at INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  error            TEXT,
  -- JSON object, once completed
  result           TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER
);
CREATE INDEX jobs_by_created ON jobs (account_id, created_at, id);
CREATE INDEX jobs_by_agent ON jobs (account_id, agent_id, created_at, id);
-- The claim's path: the accounts with pending jobs, then each one's oldest.
CREATE INDEX jobs_pending ON jobs (account_id, created_at, id) WHERE status = 'pending';
CREATE INDEX jobs_in_flight ON jobs (account_id, status) WHERE status IN ('pending', 'processing');
-- Jobs processing (few: at most the workers): per-account counts and the lease sweeper.
CREATE INDEX jobs_processing ON jobs (account_id) WHERE status = 'processing';
CREATE INDEX jobs_by_finish ON jobs (account_id, status, finished_at) WHERE finished_at IS NOT NULL;
-- Jobs pending or processing per account: what the concurrent-job limit counts, read on every
-- submit. Kept by triggers, so no path that changes a job's status can forget it.
CREATE TABLE account_jobs_in_flight (
  account_id TEXT PRIMARY KEY,
  jobs       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER jobs_in_flight_on_insert AFTER INSERT ON jobs
WHEN NEW.status IN ('pending', 'processing')
BEGIN
  INSERT INTO account_jobs_in_flight (account_id, jobs) VALUES (NEW.account_id, 1)
  ON CONFLICT (account_id) DO UPDATE SET jobs = jobs + 1;
END;
CREATE TRIGGER jobs_in_flight_on_status AFTER UPDATE OF status ON jobs
WHEN (OLD.status IN ('pending', 'processing')) != (NEW.status IN ('pending', 'processing'))
BEGIN
  INSERT INTO account_jobs_in_flight (account_id, jobs)
  VALUES (NEW.account_id, CASE WHEN NEW.status IN ('pending', 'processing') THEN 1 ELSE -1 END)
  ON CONFLICT (account_id) DO UPDATE SET jobs = jobs + excluded.jobs;
END;
-- Progress: appended before it is announced, numbered per job from 1.
CREATE TABLE job_events (
  job_id   TEXT NOT NULL REFERENCES jobs(id),
  seq      INTEGER NOT NULL,
  ts       INTEGER NOT NULL,
  step     TEXT NOT NULL,
  percent  INTEGER NOT NULL,
  message  TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
-- Articles: the body is in the object store under s3_key.
CREATE TABLE articles (
  s3_key            TEXT PRIMARY KEY,
  account_id        TEXT NOT NULL REFERENCES accounts(id),
  agent_id          TEXT NOT NULL REFERENCES agents(id),
  title             TEXT NOT NULL,
  keyword           TEXT NOT NULL,
  slug              TEXT NOT NULL,
  word_count        INTEGER NOT NULL,
  seo_score         INTEGER NOT NULL,
  readability_score INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('active', 'expired')),
  wp_post_id        INTEGER,
  wp_url            TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL
);
CREATE INDEX articles_by_created ON articles (account_id, created_at, s3_key);
-- Keyword rotation of `create` jobs without a keyword, and the last schedule period served.
ALTER TABLE agents ADD COLUMN next_keyword INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN scheduled_period TEXT;
CREATE INDEX agents_scheduled ON agents (schedule) WHERE status = 'active' AND schedule != 'none';
-- Dashboard counters, kept in the transaction that changes what they count.
CREATE TABLE daily_activity (
  account_id     TEXT NOT NULL,
  day            TEXT NOT NULL,
  job_type       TEXT NOT NULL,
  jobs_created   INTEGER NOT NULL DEFAULT 0,
  jobs_completed INTEGER NOT NULL DEFAULT 0,
  jobs_failed    INTEGER NOT NULL DEFAULT 0,
  articles       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day, job_type)
) WITHOUT ROWID;
CREATE TABLE agent_article_totals (
  agent_id    TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL,
  articles    INTEGER NOT NULL,
  score_sum   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agent_article_totals_by_account ON agent_article_totals (account_id);
)sql"},
    {6, "article versions, job ownership, list orders and expiry", R"sql(
-- The version of the body at s3_key (earlier ones are kept under versions/), and the jobs that
-- created and last changed the article: a job run again finds its own work done.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN meta_description TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN created_by_job TEXT;
ALTER TABLE articles ADD COLUMN updated_by_job TEXT;
CREATE UNIQUE INDEX articles_by_creating_job ON articles (created_by_job)
  WHERE created_by_job IS NOT NULL;
-- The list's orders, for the account and for one agent.
CREATE INDEX articles_by_score ON articles (account_id, seo_score, s3_key);
CREATE INDEX articles_by_words ON articles (account_id, word_count, s3_key);
CREATE INDEX articles_by_agent ON articles (agent_id, created_at, s3_key);
CREATE INDEX articles_by_agent_score ON articles (agent_id, seo_score, s3_key);
CREATE INDEX articles_by_agent_words ON articles (agent_id, word_count, s3_key);
-- What the lifecycle sweeper looks for.
CREATE INDEX articles_expiring ON articles (expires_at) WHERE status = 'active';
)sql"},
    {7, "publishing, rankings, webhooks and their event outbox", R"sql(
-- What WordPress holds of an article: the post (wp_post_id, wp_url of v5), on which site, its
-- status there, when it was last published and by which job (a job run again finds its post).
ALTER TABLE articles ADD COLUMN wp_site_id TEXT;
ALTER TABLE articles ADD COLUMN wp_status TEXT;
ALTER TABLE articles ADD COLUMN published_at INTEGER;
ALTER TABLE articles ADD COLUMN published_by_job TEXT;
-- A change of a keyword's position by at least this many places raises rank.alert.
ALTER TABLE sites ADD COLUMN rank_alert_threshold INTEGER NOT NULL DEFAULT 3;
-- Keyword positions, as ingested (Search Console exports, rank trackers). One observation per
-- (site, keyword, instant): an identical one ingested again is a duplicate and is skipped. A
-- site's history goes with the site.
CREATE TABLE rankings (
  id                TEXT PRIMARY KEY,
  account_id        TEXT NOT NULL REFERENCES accounts(id),
  site_id           TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  keyword           TEXT NOT NULL,
  position          INTEGER NOT NULL CHECK (position > 0),
  url               TEXT NOT NULL,
  observed_at       INTEGER NOT NULL,
  -- the position of the latest earlier observation when this one was ingested, if any
  previous_position INTEGER,
  -- this observation raised rank.alert
  alerted           INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX rankings_by_keyword ON rankings (site_id, keyword, observed_at);
CREATE INDEX rankings_by_site ON rankings (site_id, observed_at, id);
-- Audit reports: the JSON body is in the object store under object_key. A report outlives its
-- site (its presigned URLs stay valid until they expire); one per job (a step run again finds it).
CREATE TABLE audit_reports (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts(id),
  site_id       TEXT NOT NULL,
  job_id        TEXT NOT NULL UNIQUE REFERENCES jobs(id),
  object_key    TEXT NOT NULL,
  site_score    INTEGER NOT NULL,
  pages         INTEGER NOT NULL,
  issues_high   INTEGER NOT NULL,
  issues_medium INTEGER NOT NULL,
  issues_low    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX audit_reports_by_site ON audit_reports (account_id, site_id, created_at, id);
-- Webhook endpoints. The signing secret is sealed like site passwords; after a rotation the
-- previous one keeps signing beside the new one until previous_secret_expires_at.
CREATE TABLE webhooks (
  id                         TEXT PRIMARY KEY,
  account_id                 TEXT NOT NULL REFERENCES accounts(id),
  url                        TEXT NOT NULL,
  description                TEXT NOT NULL DEFAULT '',
  -- JSON array of event types
  events                     TEXT NOT NULL,
  enabled                    INTEGER NOT NULL DEFAULT 1,
  secret_sealed              BLOB NOT NULL,
  previous_secret_sealed     BLOB,
  previous_secret_expires_at INTEGER,
  verification_status        TEXT NOT NULL DEFAULT 'unverified',
  last_verified_at           INTEGER,
  -- health, kept by the dispatcher in the writes that end each attempt
  last_success_at            INTEGER,
  last_failure_at            INTEGER,
  consecutive_failures       INTEGER NOT NULL DEFAULT 0,
  dead_deliveries            INTEGER NOT NULL DEFAULT 0,
  deleted_at                 INTEGER,
  created_at                 INTEGER NOT NULL,
  updated_at                 INTEGER NOT NULL
);
CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at, id);
-- The outbox: an event is written in the transaction of the change that causes it, with one
-- delivery per webhook of the account that subscribes to its type. payload is the exact body.
CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  type        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  webhook_id       TEXT NOT NULL REFERENCES webhooks(id),
  event_id         TEXT NOT NULL REFERENCES webhook_events(id),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  -- when the next attempt is due (pending only)
  next_attempt_at  INTEGER,
  -- a dispatcher sending it holds it until then (a crash lets it go again), under this token
  lease_expires_at INTEGER,
  lease_token      TEXT,
  last_status_code INTEGER,
  last_latency_ms  INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  -- set on a delivery made by POST .../redeliver: the delivery it repeats
  redelivery_of    TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at, id);
)sql"},
    {8, "job counts by type and status", R"sql(
-- Jobs by type and status, for the metrics: a few rows read per scrape instead of a scan of the
-- whole jobs table. Kept by triggers, so no path that creates a job or changes its status can
-- forget it; seeded from the jobs already there.
CREATE TABLE job_counts (
  job_type TEXT NOT NULL,
  status   TEXT NOT NULL,
  jobs     INTEGER NOT NULL,
  PRIMARY KEY (job_type, status)
) WITHOUT ROWID;
INSERT INTO job_counts (job_type, status, jobs)
  SELECT job_type, status, count(*) FROM jobs GROUP BY job_type, status;
CREATE TRIGGER job_counts_on_insert AFTER INSERT ON jobs
BEGIN
  INSERT INTO job_counts (job_type, status, jobs) VALUES (NEW.job_type, NEW.status, 1)
  ON CONFLICT (job_type, status) DO UPDATE SET jobs = jobs + 1;
END;
CREATE TRIGGER job_counts_on_status AFTER UPDATE OF status ON jobs
WHEN OLD.status != NEW.status
BEGIN
  UPDATE job_counts SET jobs = jobs - 1 WHERE job_type = OLD.job_type AND status = OLD.status;
  INSERT INTO job_counts (job_type, status, jobs) VALUES (NEW.job_type, NEW.status, 1)
  ON CONFLICT (job_type, status) DO UPDATE SET jobs = jobs + 1;
END;
CREATE TRIGGER job_counts_on_delete AFTER DELETE ON jobs
BEGIN
  UPDATE job_counts SET jobs = jobs - 1 WHERE job_type = OLD.job_type AND status = OLD.status;
END;
)sql"},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

int schema_version(Connection& connection) {
  static constexpr std::string_view kUserVersion = "PRAGMA user_version";
  Query query = connection.query(kUserVersion);
  query->step();
  return static_cast<int>(query->integer(0));
}

void migrate(Connection& connection, Logger& logger) {
  int current = schema_version(connection);
  int latest = latest_schema_version();
  if (current > latest) {
    throw std::runtime_error("the database schema is version " + std::to_string(current) +
                             ", newer than this seoagents knows (" + std::to_string(latest) +
                             "); run a newer seoagents or restore a backup");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= current) continue;
    connection.exec("BEGIN IMMEDIATE");
    try {
      connection.exec(migration.sql);
      connection.exec("PRAGMA user_version = " + std::to_string(migration.version));
      connection.exec("COMMIT");
    } catch (...) {
      connection.exec("ROLLBACK");
      throw;
    }
    logger.info("schema_migrated",
                {{"version", migration.version}, {"description", migration.description}});
  }
}

}  // namespace seoagents::storage
