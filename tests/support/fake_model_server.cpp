// The fake model server: an accept loop and one coroutine per connection on the server's own
// thread, a mutex-guarded script and request log, and the providers' JSON bodies.
#include "tests/support/fake_model_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <deque>
#include <exception>
#include <mutex>

namespace seoagents::testing {
namespace {

namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Response = bhttp::response<bhttp::string_body>;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Largest request body read (prompts are far smaller).
constexpr std::uint64_t kMaxRequestBytes = 64 * 1024 * 1024;
// The safety net on run_completion; retries with short test delays finish far sooner.
constexpr std::chrono::seconds kCompletionWait{60};

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

RecordedRequest record(const bhttp::request<bhttp::string_body>& request) {
  RecordedRequest recorded;
  recorded.method = std::string(request.method_string());
  recorded.target = std::string(request.target());
  for (const auto& field : request)
    recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  recorded.body = request.body();
  return recorded;
}

Response build_response(const ScriptedResponse& reply) {
  Response response;
  response.version(11);
  response.result(reply.status);
  if (reply.status == 529) response.reason("Overloaded");
  for (const auto& [name, value] : reply.headers)
    response.insert(name, value);
  response.set(bhttp::field::connection, "close");
  response.body() = reply.body;
  response.prepare_payload();
  return response;
}

ScriptedResponse script_exhausted() {
  return json_response(500, openai_error_body("the fake server's script is used up", "test_error"));
}

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_name(field, name)) return value;
  }
  return std::nullopt;
}

// What the server's coroutines share with the test's thread; the mutex guards all but the
// acceptor, which only the server's thread touches.
struct FakeModelServerState {
  explicit FakeModelServerState(asio::io_context& io)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  // Logs the request and takes the answer for it.
  ScriptedResponse answer(RecordedRequest request) {
    std::lock_guard lock(mutex);
    requests.push_back(std::move(request));
    if (script.empty()) return fallback;
    ScriptedResponse next = std::move(script.front());
    script.pop_front();
    return next;
  }

  tcp::acceptor acceptor;
  mutable std::mutex mutex;
  std::deque<ScriptedResponse> script;
  ScriptedResponse fallback = script_exhausted();
  std::vector<RecordedRequest> requests;
};

namespace {

// Reads until the client closes: a connection that never gets its answer.
asio::awaitable<void> hold_until_closed(tcp::socket& socket) {
  char sink[4096];
  while (true) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(sink), kAsTuple);
    if (ec) co_return;
  }
}

asio::awaitable<void> serve(tcp::socket socket, std::shared_ptr<FakeModelServerState> state) {
  boost::beast::flat_buffer buffer;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxRequestBytes);
  auto [read_ec, read_bytes] = co_await bhttp::async_read(socket, buffer, parser, kAsTuple);
  if (read_ec) co_return;
  ScriptedResponse reply = state->answer(record(parser.get()));
  if (reply.stall) {
    co_await hold_until_closed(socket);
    co_return;
  }
  if (reply.delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), reply.delay);
    co_await timer.async_wait(kAsTuple);
  }
  boost::system::error_code ignored;
  if (!reply.hang_up) {
    Response response = build_response(reply);
    co_await bhttp::async_write(socket, response, kAsTuple);
  }
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<FakeModelServerState> state) {
  while (true) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAsTuple);
    if (ec) co_return;
    asio::co_spawn(state->acceptor.get_executor(), serve(std::move(socket), state), asio::detached);
  }
}

}  // namespace

FakeModelServer::FakeModelServer()
    : work_(asio::make_work_guard(io_)), state_(std::make_shared<FakeModelServerState>(io_)) {
  port_ = state_->acceptor.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(state_), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

FakeModelServer::~FakeModelServer() {
  io_.stop();
  thread_.join();
}

std::string FakeModelServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeModelServer::push(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->script.push_back(std::move(response));
}

void FakeModelServer::set_fallback(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->fallback = std::move(response);
}

std::vector<RecordedRequest> FakeModelServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t FakeModelServer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

ScriptedResponse json_response(unsigned status, std::string body, FakeHeaders headers) {
  ScriptedResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  for (auto& header : headers)
    response.headers.push_back(std::move(header));
  response.body = std::move(body);
  return response;
}

std::string anthropic_message_body(std::string_view text, std::int64_t input_tokens,
                                   std::int64_t output_tokens, std::string_view model,
                                   std::string_view stop_reason) {
  boost::json::object block;
  block["type"] = "text";
  block["text"] = text;
  boost::json::array content;
  content.push_back(std::move(block));
  boost::json::object usage;
  usage["input_tokens"] = input_tokens;
  usage["output_tokens"] = output_tokens;
  boost::json::object message;
  message["id"] = "msg_01XFDUDYJgAACzvnptvVoYEL";
  message["type"] = "message";
  message["role"] = "assistant";
  message["model"] = model;
  message["content"] = std::move(content);
  message["stop_reason"] = stop_reason;
  message["stop_sequence"] = nullptr;
  message["usage"] = std::move(usage);
  return boost::json::serialize(message);
}

std::string anthropic_error_body(std::string_view type, std::string_view message,
                                 std::string_view request_id) {
  boost::json::object error;
  error["type"] = type;
  error["message"] = message;
  boost::json::object body;
  body["type"] = "error";
  body["error"] = std::move(error);
  if (!request_id.empty()) body["request_id"] = request_id;
  return boost::json::serialize(body);
}

std::string openai_completion_body(std::string_view text, std::int64_t prompt_tokens,
                                   std::int64_t completion_tokens, std::string_view model,
                                   std::string_view finish_reason) {
  boost::json::object message;
  message["role"] = "assistant";
  message["content"] = text;
  boost::json::object choice;
  choice["index"] = 0;
  choice["message"] = std::move(message);
  choice["logprobs"] = nullptr;
  choice["finish_reason"] = finish_reason;
  boost::json::array choices;
  choices.push_back(std::move(choice));
  boost::json::object usage;
  usage["prompt_tokens"] = prompt_tokens;
  usage["completion_tokens"] = completion_tokens;
  usage["total_tokens"] = prompt_tokens + completion_tokens;
  boost::json::object body;
  body["id"] = "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG";
  body["object"] = "chat.completion";
  body["created"] = 1741570283;
  body["model"] = model;
  body["choices"] = std::move(choices);
  body["usage"] = std::move(usage);
  return boost::json::serialize(body);
}

std::string openai_error_body(std::string_view message, std::string_view type,
                              std::string_view code) {
  boost::json::object error;
  error["message"] = message;
  error["type"] = type;
  error["param"] = nullptr;
  if (code.empty()) {
    error["code"] = nullptr;
  } else {
    error["code"] = code;
  }
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

Expected<jobs::Completion, jobs::ModelFailure> run_completion(jobs::TextModel& model,
                                                              jobs::CompletionRequest request) {
  asio::io_context io;
  std::optional<Expected<jobs::Completion, jobs::ModelFailure>> result;
  auto task = [&]() -> asio::awaitable<void> {
    result.emplace(co_await model.complete(std::move(request)));
  };
  asio::co_spawn(io, task, [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  io.run_for(kCompletionWait);
  if (result) return std::move(*result);
  ADD_FAILURE() << "complete() did not finish within " << kCompletionWait.count() << " s";
  return unexpected(jobs::ModelFailure{jobs::ModelFailure::Kind::permanent, "did not finish", 0});
}

std::string booth_article_answer() {
  std::string text =
      "TITLE: Trade show booth cost: a budget guide\n"
      "META: Trade show booth cost explained: what you pay for space, design, shipping and staff, "
      "and how to plan a budget that holds.\n---\n"
      "Trade show booth cost depends on space, design and logistics. This guide explains each.\n\n"
      "## What drives trade show booth cost\n\n";
  for (int i = 0; i < 30; ++i)
    text += "Floor space is usually the largest single item, so plan it first. ";
  text +=
      "\n\n## Frequently Asked Questions\n\n### Is a booth worth it?\n\nOften, yes.\n\n"
      "## Conclusion\n\nPlan early and compare quotes.\n";
  return text;
}

}  // namespace seoagents::testing
