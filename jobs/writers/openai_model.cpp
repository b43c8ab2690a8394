// The chat-completions wire format: the request body and headers, the first choice's message and
// the usage, and the error bodies compatible servers send (OpenAI's {"error":{…}}, a bare
// {"error":"…"}, vLLM's top-level {"object":"error","message":…}).
#include "jobs/writers/openai_model.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace seoagents::jobs {
namespace {

// OpenAI's code (and type) for an account out of credit: a 429 that waiting will not cure.
constexpr std::string_view kQuotaCode = "insufficient_quota";

ProviderError error_in(const boost::json::object& root) {
  ProviderError error;
  const boost::json::value* inner = root.if_contains("error");
  if (inner && inner->is_string()) {
    error.message = std::string(inner->get_string());
    return error;
  }
  const boost::json::object* fields = inner ? inner->if_object() : &root;
  if (!fields) return error;
  std::string code = json_string_at(*fields, "code");
  error.type = json_string_at(*fields, "type");
  if (error.type.empty()) error.type = code;
  error.message = json_string_at(*fields, "message");
  if (error.message.empty()) error.message = json_string_at(root, "detail");
  error.quota_exhausted = code == kQuotaCode || error.type == kQuotaCode;
  return error;
}

ProviderError read_openai_error(std::string_view body) {
  auto root = parse_json_object(body);
  return root ? error_in(*root) : ProviderError{};
}

constexpr ProviderProfile kOpenAiProfile{"openai", "x-request-id", &read_openai_error};

boost::json::object chat_message(std::string_view role, const std::string& content) {
  boost::json::object message;
  message["role"] = role;
  message["content"] = content;
  return message;
}

std::string chat_body(std::string_view model, std::string_view max_tokens_field,
                      const CompletionRequest& request) {
  boost::json::array messages;
  if (!request.system.empty()) messages.push_back(chat_message("system", request.system));
  messages.push_back(chat_message("user", request.user));
  boost::json::object body;
  body["model"] = model;
  body[max_tokens_field] = request.max_tokens;
  body["messages"] = std::move(messages);
  return boost::json::serialize(body);
}

// A message's content: a string, or (on some servers) an array of {"type":"text","text":…} parts.
std::string content_text(const boost::json::value* content) {
  if (!content) return {};
  if (content->is_string()) return std::string(content->get_string());
  std::string text;
  if (!content->is_array()) return text;
  for (const boost::json::value& part : content->get_array()) {
    const boost::json::object* fields = part.if_object();
    if (fields && json_string_at(*fields, "type") == "text")
      text += json_string_at(*fields, "text");
  }
  return text;
}

const boost::json::object* first_choice(const boost::json::object& root) {
  const boost::json::value* choices = root.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty()) return nullptr;
  return choices->get_array().front().if_object();
}

// Why an answer has no choice to read (some servers answer 200 with an error object).
std::string missing_choice_problem(const boost::json::object& root) {
  ProviderError error = error_in(root);
  if (!error.message.empty()) return "an error instead of a choice: " + error.message;
  return "no choices";
}

// The completion in a chat-completions answer, or what is wrong with the answer.
Expected<Completion, std::string> parse_chat_completion(std::string_view body) {
  auto root = parse_json_object(body);
  if (!root) return unexpected(root.error());
  const boost::json::object* choice = first_choice(*root);
  if (!choice) return unexpected(missing_choice_problem(*root));
  Completion completion;
  if (const boost::json::object* message = json_object_at(*choice, "message"))
    completion.text = content_text(message->if_contains("content"));
  completion.stop_reason = json_string_at(*choice, "finish_reason");
  if (completion.text.empty()) {
    return unexpected("no text content (finish_reason " +
                      (completion.stop_reason.empty() ? "missing" : completion.stop_reason) + ")");
  }
  completion.model = json_string_at(*root, "model");
  if (const boost::json::object* usage = json_object_at(*root, "usage")) {
    completion.usage.input_tokens = json_int_at(*usage, "prompt_tokens");
    completion.usage.output_tokens = json_int_at(*usage, "completion_tokens");
  }
  return completion;
}

}  // namespace

std::string chat_completions_url(std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/')
    base_url.remove_suffix(1);
  if (base_url.ends_with("/chat/completions")) return std::string(base_url);
  return versioned_url(base_url, "chat/completions");
}

OpenAiModel::OpenAiModel(const OpenAiOptions& options)
    : url_(chat_completions_url(options.base_url)),
      api_key_(options.api_key),
      model_(options.model),
      max_tokens_field_(options.max_tokens_field),
      http_(kOpenAiProfile, options, options.api_key) {}

asio::awaitable<Expected<Completion, ModelFailure>> OpenAiModel::complete(
    CompletionRequest request) {
  auto response = co_await http_.post(chat_request(request));
  if (!response) co_return unexpected(response.error());
  co_return read_answer(*response);
}

OutboundRequest OpenAiModel::chat_request(const CompletionRequest& request) const {
  OutboundRequest outbound;
  outbound.method = boost::beast::http::verb::post;
  outbound.url = url_;
  if (!api_key_.empty()) outbound.headers.emplace_back("Authorization", "Bearer " + api_key_);
  outbound.headers.emplace_back("Content-Type", "application/json");
  outbound.headers.emplace_back("Accept", "application/json");
  outbound.body = chat_body(model_, max_tokens_field_, request);
  return outbound;
}

Expected<Completion, ModelFailure> OpenAiModel::read_answer(
    const OutboundResponse& response) const {
  auto completion = parse_chat_completion(response.body);
  if (!completion) return unexpected(http_.unusable_answer(response, completion.error()));
  if (completion->model.empty()) completion->model = model_;
  return std::move(completion).value();
}

}  // namespace seoagents::jobs
