// /v1/dashboard/webhooks: webhook endpoints — create (the signing secret shown once), list,
// read, update, delete, verify (a signed `ping` sent now), rotate the secret (the old one keeps
// signing for 24 h), the delivery log and redelivery. URLs pass the SSRF guard at creation and
// update (and the dispatcher's client at every send). The secret is stored sealed.
#include "storage/webhooks.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/url_guard.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/webhooks/dispatcher.hpp"
#include "jobs/webhooks/signature.hpp"
#include "storage/webhook_events.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kPath = "/v1/dashboard/webhooks";
constexpr std::string_view kKind = "Webhook";
constexpr std::string_view kDeliveryKind = "Delivery";
// After a rotation the previous secret keeps signing this long.
constexpr std::int64_t kRotationOverlapMs = 24 * 3'600'000;
constexpr std::size_t kMaxDescriptionLength = 500;

using WebhookResult = Expected<storage::Webhook, ApiError>;

// --- representations ---

void optional_time(JsonWriter& json, std::string_view name, std::optional<std::int64_t> ms) {
  json.key(name);
  if (ms) {
    json.value(format_rfc3339_ms(*ms));
  } else {
    json.null();
  }
}

void optional_number(JsonWriter& json, std::string_view name, std::optional<std::int64_t> n) {
  json.key(name);
  if (n) {
    json.value(*n);
  } else {
    json.null();
  }
}

// "healthy" (the last attempt was delivered), "failing" (attempts failed since the last
// success) or "unknown" (nothing sent yet).
std::string_view health_status(const storage::Webhook& webhook) {
  if (webhook.consecutive_failures > 0) return "failing";
  return webhook.last_success_at ? "healthy" : "unknown";
}

// The members of a webhook inside an object the caller has begun; never a secret.
void write_webhook_members(JsonWriter& json, const storage::Webhook& webhook, std::int64_t now) {
  json.member("id", webhook.id)
      .member("url", webhook.url)
      .member("description", webhook.description)
      .key("events")
      .begin_array();
  for (const std::string& event : webhook.events)
    json.value(event);
  json.end_array()
      .member("enabled", webhook.enabled)
      .member("verification_status", webhook.verification_status);
  optional_time(json, "last_verified_at", webhook.last_verified_at);
  std::optional<std::int64_t> overlap;
  if (webhook.previous_secret_expires_at && *webhook.previous_secret_expires_at > now) {
    overlap = webhook.previous_secret_expires_at;
  }
  optional_time(json, "previous_secret_expires_at", overlap);
  json.key("health").begin_object().member("status", health_status(webhook));
  optional_time(json, "last_success_at", webhook.last_success_at);
  optional_time(json, "last_failure_at", webhook.last_failure_at);
  json.member("consecutive_failures", webhook.consecutive_failures)
      .member("dead_deliveries", webhook.dead_deliveries)
      .end_object()
      .member("created_at", format_rfc3339_ms(webhook.created_at))
      .member("updated_at", format_rfc3339_ms(webhook.updated_at));
}

void write_webhook(JsonWriter& json, const storage::Webhook& webhook) {
  json.begin_object();
  write_webhook_members(json, webhook, storage::now_ms());
  json.end_object();
}

std::string webhook_json(const storage::Webhook& webhook) {
  std::string body;
  JsonWriter json(body);
  write_webhook(json, webhook);
  return body;
}

// The webhook with its signing secret: the only answers that show it (create, rotate).
std::string webhook_with_secret_json(const storage::Webhook& webhook, const std::string& secret) {
  std::string body;
  JsonWriter json(body);
  json.begin_object();
  write_webhook_members(json, webhook, storage::now_ms());
  json.member("secret", secret).end_object();
  return body;
}

void write_delivery(JsonWriter& json, const storage::WebhookDelivery& delivery) {
  json.begin_object()
      .member("id", delivery.id)
      .member("webhook_id", delivery.webhook_id)
      .member("event_id", delivery.event_id)
      .member("event_type", delivery.event_type)
      .member("status", delivery.status)
      .member("attempts", delivery.attempts);
  optional_number(json, "last_status_code", delivery.last_status_code);
  optional_number(json, "last_latency_ms", delivery.last_latency_ms);
  json.key("last_error");
  if (delivery.last_error) {
    json.value(*delivery.last_error);
  } else {
    json.null();
  }
  std::optional<std::int64_t> next;
  if (delivery.status == "pending") next = delivery.next_attempt_at;
  optional_time(json, "next_attempt_at", next);
  json.key("redelivery_of");
  if (delivery.redelivery_of) {
    json.value(*delivery.redelivery_of);
  } else {
    json.null();
  }
  json.member("created_at", format_rfc3339_ms(delivery.created_at))
      .member("updated_at", format_rfc3339_ms(delivery.updated_at));
  optional_time(json, "delivered_at", delivery.delivered_at);
  json.end_object();
}

std::string delivery_json(const storage::WebhookDelivery& delivery) {
  std::string body;
  JsonWriter json(body);
  write_delivery(json, delivery);
  return body;
}

std::string ping_json(const jobs::PingResult& ping, const storage::Webhook& webhook) {
  std::string body;
  JsonWriter json(body);
  json.begin_object().member("ok", ping.ok).member("event_id", ping.event_id).key("status_code");
  if (ping.status_code) {
    json.value(*ping.status_code);
  } else {
    json.null();
  }
  json.member("latency_ms", ping.latency_ms).key("error");
  if (ping.error.empty()) {
    json.null();
  } else {
    json.value(ping.error);
  }
  json.member("response_excerpt", ping.response_excerpt).key("webhook");
  write_webhook(json, webhook);
  json.end_object();
  return body;
}

// --- validation ---

// The fields POST and PUT share; a field is set when it was given and valid.
struct WebhookFields {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> description;
  std::optional<bool> enabled;
};

std::optional<std::string> checked_url(FieldValidator& fields, bool required) {
  auto url = fields.text("url", required, 1, kMaxOutboundUrlLength);
  if (!url) return std::nullopt;
  auto parsed = parse_outbound_url(*url);
  if (!parsed) {
    fields.fail("url", parsed.error());
    return std::nullopt;
  }
  return url;
}

std::string event_types_issue() {
  std::string issue = "must be one of";
  for (std::string_view type : storage::kWebhookEventTypes)
    issue.append(" ").append(type);
  return issue;
}

// A non-empty list of distinct event types.
std::optional<std::vector<std::string>> checked_events(FieldValidator& fields, bool required) {
  constexpr std::size_t kTypes = std::size(storage::kWebhookEventTypes);
  auto events = fields.text_array("events", required, kTypes, 1, 64);
  if (!events) return std::nullopt;
  if (events->empty()) {
    fields.fail("events", "must name at least one event type");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const std::string& event : *events) {
    if (!storage::is_webhook_event_type(event)) {
      fields.fail("events", event_types_issue() + " (not " + event + ")");
      return std::nullopt;
    }
    if (!seen.insert(event).second) {
      fields.fail("events", "names " + event + " twice");
      return std::nullopt;
    }
  }
  return events;
}

std::optional<bool> checked_enabled(FieldValidator& fields, const boost::json::object& body) {
  const auto* enabled = body.if_contains("enabled");
  if (enabled == nullptr) return std::nullopt;
  if (!enabled->is_bool()) {
    fields.fail("enabled", "must be true or false");
    return std::nullopt;
  }
  return enabled->as_bool();
}

WebhookFields read_webhook_fields(FieldValidator& fields, const boost::json::object& body,
                                  bool creating) {
  if (creating) {
    fields.allow_only({"url", "events", "description"});
  } else {
    fields.allow_only({"url", "events", "description", "enabled"});
  }
  WebhookFields given;
  given.url = checked_url(fields, creating);
  given.events = checked_events(fields, creating);
  given.description = fields.text("description", false, 0, kMaxDescriptionLength);
  if (!creating) given.enabled = checked_enabled(fields, body);
  return given;
}

// --- the SSRF guard at creation and update ---

ApiError unsafe_url(std::string issue) {
  return {bhttp::status::bad_request,
          "UNSAFE_URL",
          "The webhook URL points at an address the server does not connect to",
          {{"url", std::move(issue)}}};
}

// --- handlers ---

Response answer(RequestContext& context, const ResourceServices& services,
                const Expected<WebhookResult, storage::StorageError>& written, bhttp::status ok) {
  if (!written) {
    return error_response(context,
                          storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) return error_response(context, written->error());
  return json_response(ok, webhook_json(**written));
}

WebhookResult owned_webhook(storage::Connection& db, std::string_view account_id,
                            const std::string& webhook_id) {
  auto webhook = storage::find_webhook(db, webhook_id);
  if (!webhook) return unexpected(errors::not_found(kKind, webhook_id));
  if (webhook->account_id != account_id) return unexpected(errors::forbidden(kKind, webhook_id));
  return *webhook;
}

std::string location_of(const std::string& webhook_id) {
  std::string location(kPath);
  location.append("/").append(webhook_id);
  return location;
}

storage::Webhook new_webhook(const WebhookFields& given, const std::string& account_id,
                             const SecretBox& secrets, const std::string& secret) {
  storage::Webhook webhook;
  webhook.id = storage::new_webhook_id();
  webhook.account_id = account_id;
  webhook.url = *given.url;
  webhook.events = *given.events;
  webhook.description = given.description.value_or("");
  webhook.secret_sealed = secrets.seal(secret, webhook.id);
  webhook.created_at = webhook.updated_at = storage::now_ms();
  return webhook;
}

asio::awaitable<Response> create_webhook(const ResourceServices& services,
                                         RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  WebhookFields given = read_webhook_fields(fields, *body, true);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (auto issue = co_await refused_target_issue(*given.url, services.allow_private_targets)) {
    co_return error_response(context, unsafe_url(std::move(*issue)));
  }
  std::string secret = jobs::new_webhook_secret();
  storage::Webhook webhook =
      new_webhook(given, context.principal->account_id, *services.secrets, secret);
  std::function<bool(storage::Connection&)> insert = [&webhook](storage::Connection& db) {
    storage::insert_webhook(db, webhook);
    return true;
  };
  auto written = co_await services.store->write<bool>(std::move(insert));
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  Response response =
      json_response(bhttp::status::created, webhook_with_secret_json(webhook, secret));
  response.set(bhttp::field::location, location_of(webhook.id));
  co_return response;
}

asio::awaitable<Response> list_webhooks(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page = parse_page_request(context.query, "webhooks", account_id,
                                 {"created_at", "updated_at"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto webhooks =
      storage::list_webhooks(services.store->reader(), account_id, page->sort_field,
                             page->descending, page_position(page->after), page->limit + 1);
  auto position_of = [&page](const storage::Webhook& webhook) {
    auto position = storage::webhook_position(webhook, page->sort_field);
    return cursor_position(position.sort_value, position.id);
  };
  co_return json_response(bhttp::status::ok, render_list_page(webhooks, *page, *services.cursors,
                                                              position_of, write_webhook));
}

asio::awaitable<Response> get_webhook(const ResourceServices& services, RequestContext& context) {
  auto webhook = owned_webhook(services.store->reader(), context.principal->account_id,
                               std::string(context.param("id")));
  if (!webhook) co_return error_response(context, webhook.error());
  co_return json_response(bhttp::status::ok, webhook_json(*webhook));
}

void apply_changes(const WebhookFields& given, storage::Webhook& webhook) {
  if (given.url && *given.url != webhook.url) {
    // Another endpoint: the last verification no longer holds.
    webhook.url = *given.url;
    webhook.verification_status = "unverified";
    webhook.last_verified_at.reset();
  }
  if (given.events) webhook.events = *given.events;
  if (given.description) webhook.description = *given.description;
  if (given.enabled) webhook.enabled = *given.enabled;
  // Moves forward even within a millisecond: verify relies on it to notice a change.
  webhook.updated_at = std::max(storage::now_ms(), webhook.updated_at + 1);
}

asio::awaitable<Response> update_webhook(const ResourceServices& services,
                                         RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  WebhookFields given = read_webhook_fields(fields, *body, false);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (given.url) {
    if (auto issue = co_await refused_target_issue(*given.url, services.allow_private_targets)) {
      co_return error_response(context, unsafe_url(std::move(*issue)));
    }
  }
  std::string webhook_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  std::function<WebhookResult(storage::Connection&)> update =
      [&](storage::Connection& db) -> WebhookResult {
    auto webhook = owned_webhook(db, account_id, webhook_id);
    if (!webhook) return webhook;
    apply_changes(given, *webhook);
    storage::update_webhook(db, *webhook);
    return webhook;
  };
  auto written = co_await services.store->write<WebhookResult>(std::move(update));
  Response response = answer(context, services, written, bhttp::status::ok);
  // Re-enabled: what waited may go now.
  if (response.result() == bhttp::status::ok && given.enabled.value_or(false)) {
    services.webhooks->wake();
  }
  co_return response;
}

asio::awaitable<Response> delete_webhook(const ResourceServices& services,
                                         RequestContext& context) {
  std::string webhook_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  std::function<WebhookResult(storage::Connection&)> remove =
      [&](storage::Connection& db) -> WebhookResult {
    auto webhook = owned_webhook(db, account_id, webhook_id);
    if (!webhook) return webhook;
    storage::delete_webhook(db, webhook_id, storage::now_ms());
    return webhook;
  };
  auto written = co_await services.store->write<WebhookResult>(std::move(remove));
  co_return answer(context, services, written, bhttp::status::ok);
}

// Records the ping's outcome, unless the webhook was changed or removed since `checked` was
// read: then the change stands.
std::function<std::optional<storage::Webhook>(storage::Connection&)> record_verification(
    const storage::Webhook& checked, bool ok) {
  return [webhook_id = checked.id, updated_at = checked.updated_at,
          ok](storage::Connection& db) -> std::optional<storage::Webhook> {
    auto current = storage::find_webhook(db, webhook_id);
    if (!current || current->updated_at != updated_at) return current;
    current->verification_status = ok ? "verified" : "unverified";
    current->last_verified_at = storage::now_ms();
    current->updated_at = std::max(storage::now_ms(), current->updated_at + 1);
    storage::update_webhook(db, *current);
    return current;
  };
}

asio::awaitable<Response> verify_webhook(const ResourceServices& services,
                                         RequestContext& context) {
  auto webhook = owned_webhook(services.store->reader(), context.principal->account_id,
                               std::string(context.param("id")));
  if (!webhook) co_return error_response(context, webhook.error());
  jobs::PingResult ping = co_await services.webhooks->ping(*webhook);
  auto written = co_await services.store->write<std::optional<storage::Webhook>>(
      record_verification(*webhook, ping.ok));
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  const storage::Webhook& shown = written->has_value() ? **written : *webhook;
  co_return json_response(bhttp::status::ok, ping_json(ping, shown));
}

asio::awaitable<Response> rotate_secret(const ResourceServices& services, RequestContext& context) {
  std::string webhook_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  std::string secret = jobs::new_webhook_secret();
  std::function<WebhookResult(storage::Connection&)> rotate =
      [&](storage::Connection& db) -> WebhookResult {
    auto webhook = owned_webhook(db, account_id, webhook_id);
    if (!webhook) return webhook;
    std::int64_t now = storage::now_ms();
    webhook->previous_secret_sealed = webhook->secret_sealed;
    webhook->previous_secret_expires_at = now + kRotationOverlapMs;
    webhook->secret_sealed = services.secrets->seal(secret, webhook->id);
    webhook->updated_at = std::max(now, webhook->updated_at + 1);
    storage::update_webhook(db, *webhook);
    return webhook;
  };
  auto written = co_await services.store->write<WebhookResult>(std::move(rotate));
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) co_return error_response(context, written->error());
  co_return json_response(bhttp::status::ok, webhook_with_secret_json(**written, secret));
}

std::string deliveries_list_name(const std::string& webhook_id) {
  std::string name("webhook-deliveries/");
  name.append(webhook_id);
  return name;
}

asio::awaitable<Response> list_deliveries(const ResourceServices& services,
                                          RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  std::string webhook_id(context.param("id"));
  auto webhook = owned_webhook(services.store->reader(), account_id, webhook_id);
  if (!webhook) co_return error_response(context, webhook.error());
  auto page = parse_page_request(context.query, deliveries_list_name(webhook_id), account_id,
                                 {"created_at"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto deliveries =
      storage::list_webhook_deliveries(services.store->reader(), webhook_id, page->descending,
                                       page_position(page->after), page->limit + 1);
  auto position_of = [](const storage::WebhookDelivery& delivery) {
    auto position = storage::delivery_position(delivery);
    return cursor_position(position.sort_value, position.id);
  };
  co_return json_response(bhttp::status::ok, render_list_page(deliveries, *page, *services.cursors,
                                                              position_of, write_delivery));
}

using DeliveryResult = Expected<storage::WebhookDelivery, ApiError>;

// A new delivery of the event of `delivery_id`, which must be a finished delivery of the
// caller's enabled webhook `webhook_id`.
DeliveryResult redeliver_in(storage::Connection& db, const std::string& account_id,
                            const std::string& webhook_id, const std::string& delivery_id) {
  auto webhook = owned_webhook(db, account_id, webhook_id);
  if (!webhook) return unexpected(webhook.error());
  auto delivery = storage::find_webhook_delivery(db, delivery_id);
  if (!delivery || delivery->webhook_id != webhook_id) {
    return unexpected(errors::not_found(kDeliveryKind, delivery_id));
  }
  if (delivery->status == "pending") {
    return unexpected(errors::conflict("Delivery " + delivery_id +
                                       " is still pending: its next attempt is scheduled"));
  }
  if (!webhook->enabled) {
    return unexpected(
        errors::conflict("Webhook " + webhook_id + " is disabled: enable it to redeliver"));
  }
  return storage::redeliver(db, *delivery, storage::now_ms());
}

asio::awaitable<Response> redeliver(const ResourceServices& services, RequestContext& context) {
  std::string webhook_id(context.param("id"));
  std::string delivery_id(context.param("delivery_id"));
  std::string account_id = context.principal->account_id;
  std::function<DeliveryResult(storage::Connection&)> work = [&](storage::Connection& db) {
    return redeliver_in(db, account_id, webhook_id, delivery_id);
  };
  auto written = co_await services.store->write<DeliveryResult>(std::move(work));
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) co_return error_response(context, written->error());
  services.webhooks->wake();
  co_return json_response(bhttp::status::accepted, delivery_json(**written));
}

}  // namespace

void add_webhook_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/webhooks", bind(list_webhooks));
  router.add(bhttp::verb::post, "/v1/dashboard/webhooks", bind(create_webhook));
  router.add(bhttp::verb::get, "/v1/dashboard/webhooks/{id}", bind(get_webhook));
  router.add(bhttp::verb::put, "/v1/dashboard/webhooks/{id}", bind(update_webhook));
  router.add(bhttp::verb::delete_, "/v1/dashboard/webhooks/{id}", bind(delete_webhook));
  router.add(bhttp::verb::post, "/v1/dashboard/webhooks/{id}/verify", bind(verify_webhook));
  router.add(bhttp::verb::post, "/v1/dashboard/webhooks/{id}/rotate-secret", bind(rotate_secret));
  router.add(bhttp::verb::get, "/v1/dashboard/webhooks/{id}/deliveries", bind(list_deliveries));
  router.add(bhttp::verb::post, "/v1/dashboard/webhooks/{id}/deliveries/{delivery_id}/redeliver",
             bind(redeliver));
}

}  // namespace seoagents::http::handlers
