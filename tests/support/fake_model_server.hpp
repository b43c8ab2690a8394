// A stand-in for a hosted model's HTTP API on 127.0.0.1 (Anthropic's Messages API, an
// OpenAI-compatible chat-completions server): answers from a script, records every request, and
// builds both providers' success and error bodies exactly as they send them.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/expected.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::testing {

namespace asio = boost::asio;

using FakeHeaders = std::vector<std::pair<std::string, std::string>>;

// One answer of the script.
struct ScriptedResponse {
  // The status sent (any code, 529 included).
  unsigned status = 200;
  // Headers sent besides Content-Length and Connection, in order.
  FakeHeaders headers;
  std::string body;
  // Waits this long after reading the request before answering.
  std::chrono::milliseconds delay{0};
  // Never answers: holds the connection open until the client gives up or the server stops.
  bool stall = false;
  // Closes the connection without answering.
  bool hang_up = false;
};

// A request as the server read it.
struct RecordedRequest {
  std::string method;
  std::string target;
  // Every header, in the order received, names as sent.
  FakeHeaders headers;
  std::string body;

  // The value of the first header called `name` (any case), if there is one.
  std::optional<std::string> header(std::string_view name) const;
};

// The script, the request log and the listening socket, shared with the server's coroutines.
struct FakeModelServerState;

// The server runs its own io_context on its own thread, so a test drives the client on its own
// loop (or several) while the server answers. Every member is safe to call from any thread.
// Each connection carries one request (the client sends Connection: close).
class FakeModelServer {
 public:
  // Listens on 127.0.0.1 at an ephemeral port and starts answering.
  FakeModelServer();
  // Stops the thread; open connections (stalled ones included) are closed.
  ~FakeModelServer();
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>".
  std::string base_url() const;

  // Adds an answer to the script; requests take them in order.
  void push(ScriptedResponse response);
  // The answer once the script is used up (at first: 500 with a body naming the problem).
  void set_fallback(ScriptedResponse response);

  // Every request read so far, in order.
  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::shared_ptr<FakeModelServerState> state_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A response with Content-Type: application/json, plus `headers`.
ScriptedResponse json_response(unsigned status, std::string body, FakeHeaders headers = {});

// Anthropic's Messages API answer: one text block, usage, stop_reason.
std::string anthropic_message_body(std::string_view text, std::int64_t input_tokens,
                                   std::int64_t output_tokens,
                                   std::string_view model = "claude-sonnet-4-5-20250929",
                                   std::string_view stop_reason = "end_turn");
// Anthropic's error body: {"type":"error","error":{"type":…,"message":…},"request_id":…}.
std::string anthropic_error_body(std::string_view type, std::string_view message,
                                 std::string_view request_id = "req_011CTestRequestId");

// An OpenAI chat completion: one choice with the assistant's message, finish_reason, usage.
std::string openai_completion_body(std::string_view text, std::int64_t prompt_tokens,
                                   std::int64_t completion_tokens,
                                   std::string_view model = "llama3.1:8b",
                                   std::string_view finish_reason = "stop");
// OpenAI's error body: {"error":{"message":…,"type":…,"param":null,"code":…}} (code null when
// empty).
std::string openai_error_body(std::string_view message, std::string_view type,
                              std::string_view code = {});

// A draft answer (TITLE, META, the article) for the keyword "trade show booth cost" that the
// create pipeline stores as an article.
std::string booth_article_answer();

// Runs model.complete(request) on a fresh io_context on the calling thread until it completes
// (a test failure, not a hang, if it never does).
Expected<jobs::Completion, jobs::ModelFailure> run_completion(jobs::TextModel& model,
                                                              jobs::CompletionRequest request);

}  // namespace seoagents::testing
