// The Messages API's wire format: the request body and headers, the answer's content blocks and
// usage, and Anthropic's error body ({"type":"error","error":{"type":…,"message":…}}).
#include "jobs/writers/anthropic_model.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace seoagents::jobs {
namespace {

// The API version every request names (the current and only stable one).
constexpr std::string_view kApiVersion = "2023-06-01";
// A 429 with this error code is a spend limit reached, not a rate limit: waiting will not help.
constexpr std::string_view kSpendLimitCode = "enforced_spend_limit_reached";

ProviderError read_anthropic_error(std::string_view body) {
  ProviderError error;
  auto root = parse_json_object(body);
  if (!root) return error;
  error.request_id = json_string_at(*root, "request_id");
  const boost::json::object* inner = json_object_at(*root, "error");
  if (!inner) return error;
  error.type = json_string_at(*inner, "type");
  error.message = json_string_at(*inner, "message");
  if (const boost::json::object* details = json_object_at(*inner, "details"))
    error.quota_exhausted = json_string_at(*details, "error_code") == kSpendLimitCode;
  return error;
}

constexpr ProviderProfile kAnthropicProfile{"anthropic", "request-id", &read_anthropic_error};

std::string messages_body(std::string_view model, const CompletionRequest& request) {
  boost::json::object user;
  user["role"] = "user";
  user["content"] = request.user;
  boost::json::array messages;
  messages.push_back(std::move(user));
  boost::json::object body;
  body["model"] = model;
  body["max_tokens"] = request.max_tokens;
  // Anthropic refuses an empty system prompt; none is the same thing.
  if (!request.system.empty()) body["system"] = request.system;
  body["messages"] = std::move(messages);
  return boost::json::serialize(body);
}

// Every "text" block of the answer, in order; other blocks (thinking, tool use) are skipped.
std::string text_blocks(const boost::json::object& message) {
  std::string text;
  const boost::json::value* content = message.if_contains("content");
  if (!content || !content->is_array()) return text;
  for (const boost::json::value& block : content->get_array()) {
    const boost::json::object* fields = block.if_object();
    if (fields && json_string_at(*fields, "type") == "text")
      text += json_string_at(*fields, "text");
  }
  return text;
}

// The completion in a Messages API answer, or what is wrong with the answer.
Expected<Completion, std::string> parse_message(std::string_view body) {
  auto message = parse_json_object(body);
  if (!message) return unexpected(message.error());
  Completion completion;
  completion.text = text_blocks(*message);
  completion.stop_reason = json_string_at(*message, "stop_reason");
  if (completion.text.empty()) {
    return unexpected("no text content (stop_reason " +
                      (completion.stop_reason.empty() ? "missing" : completion.stop_reason) + ")");
  }
  completion.model = json_string_at(*message, "model");
  if (const boost::json::object* usage = json_object_at(*message, "usage")) {
    completion.usage.input_tokens = json_int_at(*usage, "input_tokens");
    completion.usage.output_tokens = json_int_at(*usage, "output_tokens");
  }
  return completion;
}

}  // namespace

AnthropicModel::AnthropicModel(const AnthropicOptions& options)
    : url_(versioned_url(options.base_url, "messages")),
      api_key_(options.api_key),
      model_(options.model),
      http_(kAnthropicProfile, options, options.api_key) {}

asio::awaitable<Expected<Completion, ModelFailure>> AnthropicModel::complete(
    CompletionRequest request) {
  auto response = co_await http_.post(messages_request(request));
  if (!response) co_return unexpected(response.error());
  co_return read_answer(*response);
}

OutboundRequest AnthropicModel::messages_request(const CompletionRequest& request) const {
  OutboundRequest outbound;
  outbound.method = boost::beast::http::verb::post;
  outbound.url = url_;
  if (!api_key_.empty()) outbound.headers.emplace_back("x-api-key", api_key_);
  outbound.headers.emplace_back("anthropic-version", kApiVersion);
  outbound.headers.emplace_back("content-type", "application/json");
  outbound.headers.emplace_back("accept", "application/json");
  outbound.body = messages_body(model_, request);
  return outbound;
}

Expected<Completion, ModelFailure> AnthropicModel::read_answer(
    const OutboundResponse& response) const {
  auto completion = parse_message(response.body);
  if (!completion) return unexpected(http_.unusable_answer(response, completion.error()));
  if (completion->model.empty()) completion->model = model_;
  return std::move(completion).value();
}

}  // namespace seoagents::jobs
