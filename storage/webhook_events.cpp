// The webhook event outbox (see webhook_events.hpp).
#include "storage/webhook_events.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <stdexcept>
#include <vector>

#include "core/clock.hpp"
#include "core/random_id.hpp"
#include "storage/ids.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kSubscribedWebhooks =
    "SELECT id FROM webhooks WHERE account_id = ?1 AND enabled = 1 AND deleted_at IS NULL "
    "AND EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE json_each.value = ?2) "
    "ORDER BY id";
constexpr std::string_view kInsertEvent =
    "INSERT INTO webhook_events (id, account_id, type, payload, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kDeliveryIdTaken = "SELECT 1 FROM webhook_deliveries WHERE id = ?";
constexpr std::string_view kInsertDelivery =
    "INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, attempts, "
    "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4, ?4)";

std::vector<std::string> subscribed_webhooks(Connection& db, std::string_view account_id,
                                             std::string_view type) {
  std::vector<std::string> ids;
  Query query = db.query(kSubscribedWebhooks);
  query->bind(1, account_id).bind(2, type);
  while (query->step())
    ids.emplace_back(query->text(0));
  return ids;
}

// 64 random bits: event ids are never looked up by a person and must not collide.
std::string fresh_event_id() {
  return "evt_" + secure_random_hex(8);
}

}  // namespace

bool is_webhook_event_type(std::string_view type) {
  return std::ranges::find(kWebhookEventTypes, type) != std::end(kWebhookEventTypes);
}

std::optional<RecordedEvent> record_webhook_event(Connection& db, std::string_view account_id,
                                                  std::string_view type,
                                                  const boost::json::object& data,
                                                  std::int64_t now) {
  if (!is_webhook_event_type(type))
    throw std::invalid_argument("unknown webhook event type: " + std::string(type));
  std::vector<std::string> webhooks = subscribed_webhooks(db, account_id, type);
  if (webhooks.empty()) return std::nullopt;

  RecordedEvent event;
  event.id = fresh_event_id();
  boost::json::object body;
  body["id"] = event.id;
  body["type"] = type;
  body["created_at"] = format_rfc3339_ms(now);
  body["data"] = data;
  event.payload = boost::json::serialize(body);

  Query insert = db.query(kInsertEvent);
  insert->bind(1, event.id).bind(2, account_id).bind(3, type).bind(4, event.payload).bind(5, now);
  insert->run();
  for (const std::string& webhook_id : webhooks) {
    std::string delivery_id = fresh_id(db, "dlv_", kDeliveryIdTaken);
    Query delivery = db.query(kInsertDelivery);
    delivery->bind(1, delivery_id).bind(2, webhook_id).bind(3, event.id).bind(4, now);
    delivery->run();
    ++event.deliveries;
  }
  return event;
}

}  // namespace seoagents::storage
