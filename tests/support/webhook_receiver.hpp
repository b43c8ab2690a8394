// A webhook endpoint on 127.0.0.1 that the tests run: it records every request (with the
// X-SEOAgents-* headers taken apart), answers from a script of statuses (stalls and delays
// included), counts requests in flight, and checks signatures with its own HMAC (OpenSSL's
// HMAC() directly, not the server's code), as a customer's receiver would.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/fake_model_server.hpp"

namespace seoagents::testing {

// One request as the receiver read it, with what a receiver looks at.
struct ReceivedWebhook {
  RecordedRequest request;
  // X-SEOAgents-Event-Id and -Event-Type ("" when missing).
  std::string event_id;
  std::string event_type;
  // X-SEOAgents-Signature, and its parts: t= and every v1=.
  std::string signature;
  std::int64_t timestamp = 0;
  std::vector<std::string> v1;
  // The body as JSON (empty when it is not an object).
  boost::json::object payload;
};

// "t=…,v1=…,v1=…" taken apart; timestamp 0 and no v1 when malformed.
void parse_signature(std::string_view header, std::int64_t& timestamp,
                     std::vector<std::string>& v1);

// Hex HMAC-SHA256(secret, "<timestamp>.<body>"), computed with OpenSSL's HMAC().
std::string expected_signature(std::string_view secret, std::int64_t timestamp,
                               std::string_view body);

// True when one of the request's v1 signatures is its body's under `secret` (compared in
// constant time, as the README tells receivers to).
bool signed_with(const ReceivedWebhook& received, std::string_view secret);

struct WebhookReceiverState;

// Runs on its own thread; every member may be called from any thread.
class WebhookReceiver {
 public:
  // Listens on 127.0.0.1 at an ephemeral port; answers 200 {"received":true} unless scripted.
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port><path>".
  std::string url(std::string_view path = "/hooks") const;

  // The next requests get these answers, in order.
  void push(ScriptedResponse response);
  // The next `count` requests get `status` (with a short JSON body).
  void fail_next(int count, unsigned status = 500);
  // The answer once the script is used up.
  void set_fallback(ScriptedResponse response);

  std::vector<ReceivedWebhook> received() const;
  std::size_t count() const;
  // Most requests that were ever being answered at the same time.
  std::size_t max_in_flight() const;
  // Waits (a safety limit, not a timing assertion) until at least `count` requests arrived.
  bool wait_for(std::size_t count,
                std::chrono::milliseconds limit = std::chrono::seconds(60)) const;

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::shared_ptr<WebhookReceiverState> state_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A scripted answer with `status` and a small JSON body.
ScriptedResponse status_response(unsigned status);

}  // namespace seoagents::testing
