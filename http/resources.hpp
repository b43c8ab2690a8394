// What the resource handlers share: the services they are given, the errors every resource
// answers with (not found, forbidden, storage unavailable), and the bridge between list
// cursors and the store's page positions.
#pragma once

#include <optional>
#include <string_view>

#include "core/log.hpp"
#include "core/outbound_client.hpp"
#include "core/secret_box.hpp"
#include "http/api_error.hpp"
#include "http/pagination.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/read_cache.hpp"
#include "storage/store.hpp"

namespace seoagents::http {

class CredentialCache;
}  // namespace seoagents::http

namespace seoagents::jobs {
class JobEngine;
class WebhookDispatcher;
struct AuditServices;
}  // namespace seoagents::jobs

namespace seoagents {
class ComputePool;
}  // namespace seoagents

namespace seoagents::storage {
class ObjectStore;
}  // namespace seoagents::storage

namespace seoagents::http {

// An agent as GET /agents/{id} answers it: the row (for the ownership checks) and its JSON.
struct RenderedAgent {
  storage::Agent agent;
  std::string json;
};

// The services handlers use. Null only when the router is built just to list its routes.
struct ResourceServices {
  storage::Store* store = nullptr;
  CredentialCache* credentials = nullptr;
  const CursorCodec* cursors = nullptr;
  Logger* logger = nullptr;
  // Seals and opens site passwords and webhook secrets.
  const SecretBox* secrets = nullptr;
  // Requests to WordPress sites (site verification).
  OutboundClient* outbound = nullptr;
  // GET /agents/{id}: agents by id with their JSON, per loop thread, invalidated by any change
  // to agents.
  storage::ReadCache<RenderedAgent>* agent_cache = nullptr;
  // The job queue: submit, cancel, progress events.
  jobs::JobEngine* jobs = nullptr;
  // Article bodies.
  storage::ObjectStore* objects = nullptr;
  // CPU-heavy work off the loop threads: analysis, Markdown rendering.
  ComputePool* compute = nullptr;
  // Audit reports: the signer of their links, the links' lifetime and base URL.
  const jobs::AuditServices* audit = nullptr;
  // --allow-private-targets: site and webhook URLs may point at private and loopback addresses.
  bool allow_private_targets = false;
  // Webhook delivery: verification pings, and wake-ups after new deliveries (a redelivery, rank
  // alerts).
  jobs::WebhookDispatcher* webhooks = nullptr;
};

namespace errors {
// 404 RESOURCE_NOT_FOUND: "<kind> not found: <id>".
ApiError not_found(std::string_view kind, std::string_view id);
// 403 FORBIDDEN: the resource exists but belongs to another account.
ApiError forbidden(std::string_view kind, std::string_view id);
// 409 CONFLICT.
ApiError conflict(std::string message);
}  // namespace errors

// The answer to a failed write: 503 STORAGE_UNAVAILABLE when the disk cannot take writes now,
// else a logged 500 INTERNAL_ERROR. Details go to the log only.
ApiError storage_failure(const storage::StorageError& error, Logger& logger,
                         std::string_view request_id);

std::optional<storage::PagePosition> page_position(const std::optional<CursorPosition>& cursor);

}  // namespace seoagents::http
