// Parsing and rendering of the WebSocket channel's messages (see protocol.hpp).
#include "ws/protocol.hpp"

#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/handlers/representations.hpp"

namespace seoagents::ws {
namespace {

constexpr std::size_t kMaxJobIdBytes = 64;

ProtocolError invalid(std::string message) {
  return ProtocolError{"VALIDATION_ERROR", std::move(message)};
}

// The job_id member: a string of 1–64 characters.
Expected<std::string, ProtocolError> job_id_of(const boost::json::object& message) {
  const boost::json::value* id = message.if_contains("job_id");
  if (id == nullptr) return unexpected(invalid("job_id is required"));
  if (!id->is_string()) return unexpected(invalid("job_id must be a string"));
  std::string_view text = id->as_string();
  if (text.empty() || text.size() > kMaxJobIdBytes) {
    return unexpected(invalid("job_id must have 1 to 64 characters"));
  }
  return std::string(text);
}

Expected<std::optional<std::int64_t>, ProtocolError> since_of(const boost::json::object& message) {
  const boost::json::value* since = message.if_contains("since");
  if (since == nullptr || since->is_null()) return std::optional<std::int64_t>();
  if (!since->is_string()) return unexpected(invalid("since must be an RFC 3339 string"));
  auto parsed = parse_rfc3339_ms(since->as_string());
  if (!parsed) {
    return unexpected(invalid("since must be an RFC 3339 date-time, e.g. 2026-02-26T10:30:00Z"));
  }
  return std::optional<std::int64_t>(*parsed);
}

// Refuses members other than `allowed`.
std::optional<ProtocolError> only(const boost::json::object& message,
                                  std::initializer_list<std::string_view> allowed) {
  for (const auto& member : message) {
    bool known = false;
    for (std::string_view name : allowed)
      known = known || member.key() == name;
    if (!known) {
      std::string text("unknown member: ");
      text.append(member.key());
      return invalid(std::move(text));
    }
  }
  return std::nullopt;
}

}  // namespace

Expected<ClientMessage, ProtocolError> parse_client_message(std::string_view text) {
  if (text.size() > kMaxClientMessageBytes) {
    return unexpected(invalid("a message has at most 4096 bytes"));
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return unexpected(ProtocolError{"INVALID_JSON", "a message is a JSON object"});
  }
  const boost::json::object& message = value.as_object();
  const boost::json::value* action = message.if_contains("action");
  if (action == nullptr || !action->is_string()) {
    return unexpected(invalid("action must be subscribe, unsubscribe or ping"));
  }
  ClientMessage parsed;
  std::string_view name = action->as_string();
  if (name == "ping") {
    if (auto problem = only(message, {"action"})) return unexpected(*problem);
    parsed.action = ClientMessage::Action::ping;
    return parsed;
  }
  if (name != "subscribe" && name != "unsubscribe") {
    return unexpected(invalid("action must be subscribe, unsubscribe or ping"));
  }
  bool subscribe = name == "subscribe";
  auto problem = subscribe ? only(message, {"action", "job_id", "since"})
                           : only(message, {"action", "job_id"});
  if (problem) return unexpected(*problem);
  auto job_id = job_id_of(message);
  if (!job_id) return unexpected(job_id.error());
  parsed.action = subscribe ? ClientMessage::Action::subscribe : ClientMessage::Action::unsubscribe;
  parsed.job_id = std::move(*job_id);
  if (subscribe) {
    auto since = since_of(message);
    if (!since) return unexpected(since.error());
    parsed.since = *since;
  }
  return parsed;
}

std::string subscribed_message(const storage::Job& job) {
  std::string text;
  JsonWriter json(text);
  json.begin_object()
      .member("type", "subscribed")
      .member("job_id", job.id)
      .member("job_type", job.job_type)
      .member("status", job.status)
      .end_object();
  return text;
}

std::string progress_message(const storage::JobEvent& event) {
  std::string text;
  text.reserve(160 + event.message.size());
  JsonWriter json(text);
  json.begin_object().member("type", "progress").member("job_id", event.job_id);
  http::handlers::write_job_event_members(json, event);
  json.end_object();
  return text;
}

std::optional<std::string> final_message(const storage::Job& job) {
  if (!storage::is_finished_status(job.status)) return std::nullopt;
  std::string text;
  JsonWriter json(text);
  json.begin_object().member("type", job.status).member("job_id", job.id);
  if (job.status == "completed") {
    json.key("result");
    if (job.result) {
      json.raw(*job.result);
    } else {
      json.null();
    }
  } else if (job.status == "failed") {
    json.member("error", job.error.value_or(""));
  }
  json.end_object();
  return text;
}

std::string error_message(std::string_view code, std::string_view message,
                          std::string_view job_id) {
  std::string text;
  JsonWriter json(text);
  json.begin_object().member("type", "error").member("code", code).member("message", message);
  if (!job_id.empty()) json.member("job_id", job_id);
  json.end_object();
  return text;
}

std::string pong_message() {
  return R"({"type":"pong"})";
}

}  // namespace seoagents::ws
