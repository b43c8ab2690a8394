// /v1/dashboard/api-keys: create (the raw key is shown once), list (no secrets), revoke.
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/auth.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "api-keys";
constexpr std::string_view kKind = "API key";

void write_optional_time(JsonWriter& json, std::string_view name,
                         const std::optional<std::int64_t>& time) {
  json.key(name);
  if (time) {
    json.value(format_rfc3339_ms(*time));
  } else {
    json.null();
  }
}

// The key as the API shows it; `raw_key` only in the answer to its creation.
void write_api_key(JsonWriter& json, const storage::ApiKey& key,
                   std::optional<std::string_view> raw_key = std::nullopt) {
  json.begin_object().member("id", key.id).member("name", key.name).member("prefix", key.prefix);
  if (raw_key) json.member("key", *raw_key);
  json.member("created_at", format_rfc3339_ms(key.created_at));
  write_optional_time(json, "last_used_at", key.last_used_at);
  write_optional_time(json, "revoked_at", key.revoked_at);
  json.end_object();
}

std::string api_key_json(const storage::ApiKey& key,
                         std::optional<std::string_view> raw_key = std::nullopt) {
  std::string body;
  JsonWriter json(body);
  write_api_key(json, key, raw_key);
  return body;
}

ApiError already_revoked(const std::string& key_id) {
  std::string message("API key ");
  message.append(key_id).append(" is already revoked");
  return errors::conflict(std::move(message));
}

asio::awaitable<Response> create_key(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only({"name"});
  auto name = fields.text("name", true, 1, 200);
  if (!fields.ok()) co_return error_response(context, fields.error());

  std::string account_id = context.principal->account_id;
  auto created = co_await services.store->write<storage::CreatedApiKey>(
      [&](storage::Connection& db) { return storage::create_api_key(db, account_id, *name); });
  if (!created) {
    co_return error_response(
        context, storage_failure(created.error(), *services.logger, context.request_id));
  }
  Response response =
      json_response(bhttp::status::created, api_key_json(created->key, created->raw_key));
  std::string location("/v1/dashboard/api-keys/");
  location.append(created->key.id);
  response.set(bhttp::field::location, location);
  co_return response;
}

asio::awaitable<Response> list_keys(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page =
      parse_page_request(context.query, kList, account_id, {"created_at"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto keys = storage::list_api_keys(services.store->reader(), account_id, page->descending,
                                     page_position(page->after), page->limit + 1);
  auto position_of = [](const storage::ApiKey& key) {
    return CursorPosition{boost::json::value(key.created_at), key.id};
  };
  auto write_key = [](JsonWriter& json, const storage::ApiKey& key) { write_api_key(json, key); };
  co_return json_response(bhttp::status::ok,
                          render_list_page(keys, *page, *services.cursors, position_of, write_key));
}

asio::awaitable<Response> revoke_key(const ResourceServices& services, RequestContext& context) {
  std::string key_id(context.param("id"));
  auto existing = storage::find_api_key(services.store->reader(), key_id);
  if (!existing) co_return error_response(context, errors::not_found(kKind, key_id));
  std::string account_id = context.principal->account_id;
  if (existing->account_id != account_id) {
    co_return error_response(context, errors::forbidden(kKind, key_id));
  }
  if (existing->revoked_at) {
    co_return error_response(context, already_revoked(key_id));
  }
  auto revoked = co_await services.store->write<std::optional<storage::ApiKey>>(
      [&](storage::Connection& db) -> std::optional<storage::ApiKey> {
        if (!storage::revoke_api_key(db, account_id, key_id)) return std::nullopt;
        return storage::find_api_key(db, key_id);
      });
  if (!revoked) {
    co_return error_response(
        context, storage_failure(revoked.error(), *services.logger, context.request_id));
  }
  if (!*revoked) co_return error_response(context, already_revoked(key_id));
  services.credentials->invalidate();
  co_return json_response(bhttp::status::ok, api_key_json(**revoked));
}

}  // namespace

void add_api_key_routes(Router& router, const ResourceServices& services) {
  router.add(bhttp::verb::post, "/v1/dashboard/api-keys",
             [services](RequestContext& context) { return create_key(services, context); });
  router.add(bhttp::verb::get, "/v1/dashboard/api-keys",
             [services](RequestContext& context) { return list_keys(services, context); });
  router.add(bhttp::verb::delete_, "/v1/dashboard/api-keys/{id}",
             [services](RequestContext& context) { return revoke_key(services, context); });
}

}  // namespace seoagents::http::handlers
