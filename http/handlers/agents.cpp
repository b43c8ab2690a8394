// /v1/dashboard/agents: the reference's agent endpoints — list (?status=), create, read,
// partial update, soft delete. Ownership is checked before the agent's state: another account's
// agent is 403 whatever its state; a deleted agent is 404 to read or delete, 409 to change.
#include "storage/agents.hpp"

#include <boost/json/object.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/representations.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "storage/sites.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "agents";
constexpr std::string_view kPath = "/v1/dashboard/agents";
constexpr std::string_view kKind = "Agent";

using AgentResult = Expected<storage::Agent, ApiError>;

// Keywords as given, without case-insensitive (ASCII) duplicates, first spelling kept.
std::vector<std::string> without_duplicates(const std::vector<std::string>& keywords) {
  auto folded = [](std::string text) {
    for (char& c : text)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  std::vector<std::string> unique;
  std::vector<std::string> seen;
  for (const auto& keyword : keywords) {
    std::string key = folded(keyword);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    unique.push_back(keyword);
  }
  return unique;
}

// The fields POST and PUT share, applied onto `agent` when present and valid.
void read_agent_fields(FieldValidator& fields, storage::Agent& agent, bool creating) {
  if (auto name = fields.text("name", creating, 1, 200)) agent.name = *name;
  if (auto keywords = fields.text_array("keywords", false, 100, 1, 200)) {
    agent.keywords = without_duplicates(*keywords);
  }
  if (auto tone = fields.choice("tone", false,
                                {"professional", "casual", "friendly", "authoritative", "technical",
                                 "persuasive", "informative"})) {
    agent.tone = *tone;
  }
  if (auto target = fields.integer("word_target", false, 300, 10000)) agent.word_target = *target;
  if (auto schedule = fields.choice("schedule", false, {"none", "daily", "weekly", "monthly"})) {
    agent.schedule = *schedule;
  }
}

// The site_id member: absent (nothing to do), null (detach), or a site id.
std::optional<std::optional<std::string>> read_site_field(const boost::json::object& body,
                                                          FieldValidator& fields) {
  const boost::json::value* value = body.if_contains("site_id");
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<std::string>();
  if (auto site_id = fields.text("site_id", false, 1, 64)) return site_id;
  return std::nullopt;
}

// A referenced site must exist and belong to the same account.
std::optional<ApiError> check_site(storage::Connection& db, std::string_view account_id,
                                   const std::optional<std::string>& site_id) {
  if (!site_id) return std::nullopt;
  auto site = storage::find_site(db, *site_id);
  if (!site) return errors::not_found("Site", *site_id);
  if (site->account_id != account_id) return errors::forbidden("Site", *site_id);
  return std::nullopt;
}

// The agent `agent_id` if it belongs to `account_id` (else 404 or 403); a deleted one is
// `deleted_error` (404 to read or delete it again, 409 to change it).
Expected<storage::Agent, ApiError> owned_agent(storage::Connection& db, std::string_view account_id,
                                               const std::string& agent_id,
                                               const ApiError& deleted_error) {
  auto agent = storage::find_agent(db, agent_id);
  if (!agent) return unexpected(errors::not_found(kKind, agent_id));
  if (agent->account_id != account_id) return unexpected(errors::forbidden(kKind, agent_id));
  if (agent->status == "deleted") return unexpected(deleted_error);
  return *agent;
}

Response answer(RequestContext& context, const ResourceServices& services,
                const Expected<AgentResult, storage::StorageError>& written, bhttp::status ok) {
  if (!written) {
    return error_response(context,
                          storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) return error_response(context, written->error());
  return json_response(ok, agent_json(**written));
}

asio::awaitable<Response> create_agent(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only({"name", "keywords", "tone", "word_target", "schedule", "site_id"});
  storage::Agent agent;
  agent.account_id = context.principal->account_id;
  read_agent_fields(fields, agent, true);
  if (auto site = read_site_field(*body, fields)) agent.site_id = *site;
  if (!fields.ok()) co_return error_response(context, fields.error());

  auto written =
      co_await services.store->write<AgentResult>([&agent](storage::Connection& db) -> AgentResult {
        if (auto problem = check_site(db, agent.account_id, agent.site_id)) {
          return unexpected(*problem);
        }
        return storage::insert_agent(db, agent);
      });
  Response response = answer(context, services, written, bhttp::status::created);
  if (response.result() == bhttp::status::created) {
    std::string location(kPath);
    location.append("/").append((*written)->id);
    response.set(bhttp::field::location, location);
  }
  co_return response;
}

// The hottest read of the API: served from the per-loop agent cache, JSON included.
asio::awaitable<Response> get_agent(const ResourceServices& services, RequestContext& context) {
  std::string agent_id(context.param("id"));
  const RenderedAgent* found = services.agent_cache->find(
      agent_id, [&agent_id](storage::Connection& db) -> std::optional<RenderedAgent> {
        auto agent = storage::find_agent(db, agent_id);
        if (!agent) return std::nullopt;
        std::string json = agent_json(*agent);
        return RenderedAgent{std::move(*agent), std::move(json)};
      });
  if (found == nullptr) co_return error_response(context, errors::not_found(kKind, agent_id));
  // Ownership first: another account's agent is 403 whatever its state.
  if (found->agent.account_id != context.principal->account_id) {
    co_return error_response(context, errors::forbidden(kKind, agent_id));
  }
  if (found->agent.status == "deleted") {
    co_return error_response(context, errors::not_found(kKind, agent_id));
  }
  co_return json_response(bhttp::status::ok, found->json);
}

// The list's optional ?status= filter: active or paused (deleted agents are never listed).
Expected<std::optional<std::string>, ApiError> status_filter(std::string_view query) {
  std::optional<std::string> status = query_parameter(query, "status");
  if (status && *status != "active" && *status != "paused") {
    return unexpected(ApiError{bhttp::status::bad_request,
                               "VALIDATION_ERROR",
                               "Invalid query parameter: status",
                               {{"status", "must be active or paused"}}});
  }
  return status;
}

asio::awaitable<Response> list_agents(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page = parse_page_request(context.query, kList, account_id,
                                 {"created_at", "updated_at", "name"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto status = status_filter(context.query);
  if (!status) co_return error_response(context, status.error());
  auto agents =
      storage::list_agents(services.store->reader(), account_id, *status, page->sort_field,
                           page->descending, page_position(page->after), page->limit + 1);
  auto position_of = [&page](const storage::Agent& agent) {
    auto position = storage::agent_position(agent, page->sort_field);
    return cursor_position(position.sort_value, position.id);
  };
  co_return json_response(bhttp::status::ok, render_list_page(agents, *page, *services.cursors,
                                                              position_of, write_agent));
}

// 409 for a change to a deleted agent.
ApiError deleted_conflict(const std::string& agent_id) {
  std::string message("Agent ");
  message.append(agent_id).append(" is deleted and cannot be changed");
  return errors::conflict(std::move(message));
}

// Copies onto `agent` the fields the request gave (validated into `changes`).
void apply_changes(const FieldValidator& fields, const storage::Agent& changes,
                   storage::Agent& agent) {
  if (fields.has("name")) agent.name = changes.name;
  if (fields.has("keywords")) agent.keywords = changes.keywords;
  if (fields.has("tone")) agent.tone = changes.tone;
  if (fields.has("word_target")) agent.word_target = changes.word_target;
  if (fields.has("schedule")) agent.schedule = changes.schedule;
  // Every change moves updated_at forward, even within the same millisecond (update_agent
  // stores the later of now and this).
  agent.updated_at += 1;
}

asio::awaitable<Response> update_agent(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only({"name", "keywords", "tone", "word_target", "schedule", "site_id", "status"});
  storage::Agent changes;
  read_agent_fields(fields, changes, false);
  auto site = read_site_field(*body, fields);
  auto status = fields.choice("status", false, {"active", "paused"});
  if (!fields.ok()) co_return error_response(context, fields.error());

  std::string agent_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  ApiError deleted = deleted_conflict(agent_id);
  auto written =
      co_await services.store->write<AgentResult>([&](storage::Connection& db) -> AgentResult {
        auto agent = owned_agent(db, account_id, agent_id, deleted);
        if (!agent) return agent;
        apply_changes(fields, changes, *agent);
        if (status) agent->status = *status;
        if (site) {
          if (auto problem = check_site(db, account_id, *site)) return unexpected(*problem);
          agent->site_id = *site;
        }
        return storage::update_agent(db, std::move(*agent));
      });
  co_return answer(context, services, written, bhttp::status::ok);
}

asio::awaitable<Response> delete_agent(const ResourceServices& services, RequestContext& context) {
  std::string agent_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  ApiError gone = errors::not_found(kKind, agent_id);
  auto written =
      co_await services.store->write<AgentResult>([&](storage::Connection& db) -> AgentResult {
        auto agent = owned_agent(db, account_id, agent_id, gone);
        if (!agent) return agent;
        agent->status = "deleted";
        agent->updated_at += 1;
        return storage::update_agent(db, std::move(*agent));
      });
  co_return answer(context, services, written, bhttp::status::ok);
}

}  // namespace

void add_agent_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/agents", bind(list_agents));
  router.add(bhttp::verb::post, "/v1/dashboard/agents", bind(create_agent));
  router.add(bhttp::verb::get, "/v1/dashboard/agents/{id}", bind(get_agent));
  router.add(bhttp::verb::put, "/v1/dashboard/agents/{id}", bind(update_agent));
  router.add(bhttp::verb::delete_, "/v1/dashboard/agents/{id}", bind(delete_agent));
}

}  // namespace seoagents::http::handlers
