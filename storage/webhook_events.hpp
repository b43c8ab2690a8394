// The webhook event outbox. An event is recorded inside the transaction of the change that
// causes it (a job finishing, an article published, a rank alert, an audit report stored), with
// one pending delivery per webhook of the account that subscribes to its type: a commit makes
// the change and its deliveries durable together, and a crash loses neither. The dispatcher
// (jobs/webhooks/) sends what is due.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

// The event types a webhook may subscribe to.
inline constexpr std::string_view kWebhookEventTypes[] = {
    "job.completed", "job.failed", "article.published", "rank.alert", "audit.completed"};
bool is_webhook_event_type(std::string_view type);

struct RecordedEvent {
  // "evt_" + 16 hex digits.
  std::string id;
  // The exact body every delivery sends: {"id","type","created_at","data"}.
  std::string payload;
  // Deliveries created (one per subscribed webhook).
  std::int64_t deliveries = 0;
};

// Records event `type` (one of kWebhookEventTypes) with `data` for `account_id`, created at
// `now` (ms), and a delivery due at `now` for each enabled webhook of the account that
// subscribes to `type`. When none subscribes nothing is written and nullopt is returned.
// Call it inside the write that makes the change the event reports.
std::optional<RecordedEvent> record_webhook_event(Connection& db, std::string_view account_id,
                                                  std::string_view type,
                                                  const boost::json::object& data,
                                                  std::int64_t now);

}  // namespace seoagents::storage
