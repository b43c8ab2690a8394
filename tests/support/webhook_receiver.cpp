// The webhook receiver: an accept loop and one coroutine per connection on its own thread, a
// mutex-guarded script and log, and an independent signature check.
#include "tests/support/webhook_receiver.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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
#include <boost/json/parse.hpp>
#include <charconv>
#include <deque>
#include <mutex>

#include "tests/support/eventually.hpp"

namespace seoagents::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

ReceivedWebhook take_apart(RecordedRequest request) {
  ReceivedWebhook received;
  received.event_id = request.header("X-SEOAgents-Event-Id").value_or("");
  received.event_type = request.header("X-SEOAgents-Event-Type").value_or("");
  received.signature = request.header("X-SEOAgents-Signature").value_or("");
  parse_signature(received.signature, received.timestamp, received.v1);
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body, ec);
  if (!ec && body.is_object()) received.payload = body.as_object();
  received.request = std::move(request);
  return received;
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

bhttp::response<bhttp::string_body> build_response(const ScriptedResponse& reply) {
  bhttp::response<bhttp::string_body> response;
  response.version(11);
  response.result(reply.status);
  for (const auto& [name, value] : reply.headers)
    response.insert(name, value);
  response.set(bhttp::field::connection, "close");
  response.body() = reply.body;
  response.prepare_payload();
  return response;
}

}  // namespace

// What the receiver's coroutines share with the test's thread.
struct WebhookReceiverState {
  explicit WebhookReceiverState(asio::io_context& io)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  ScriptedResponse answer(RecordedRequest request) {
    std::lock_guard lock(mutex);
    received.push_back(take_apart(std::move(request)));
    ++in_flight;
    max_in_flight = std::max(max_in_flight, in_flight);
    if (script.empty()) return fallback;
    ScriptedResponse next = std::move(script.front());
    script.pop_front();
    return next;
  }

  void answered() {
    std::lock_guard lock(mutex);
    --in_flight;
  }

  tcp::acceptor acceptor;
  mutable std::mutex mutex;
  std::deque<ScriptedResponse> script;
  ScriptedResponse fallback = status_response(200);
  std::vector<ReceivedWebhook> received;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 0;
};

namespace {

asio::awaitable<void> hold_until_closed(tcp::socket& socket) {
  char sink[4096];
  while (true) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(sink), kAsTuple);
    if (ec) co_return;
  }
}

asio::awaitable<void> answer(tcp::socket& socket, const ScriptedResponse& reply) {
  if (reply.stall) {
    co_await hold_until_closed(socket);
    co_return;
  }
  if (reply.delay.count() > 0) {
    asio::steady_timer timer(socket.get_executor(), reply.delay);
    co_await timer.async_wait(kAsTuple);
  }
  if (reply.hang_up) co_return;
  auto response = build_response(reply);
  co_await bhttp::async_write(socket, response, kAsTuple);
}

asio::awaitable<void> serve(tcp::socket socket, std::shared_ptr<WebhookReceiverState> state) {
  boost::beast::flat_buffer buffer;
  bhttp::request_parser<bhttp::string_body> parser;
  auto [read_ec, read_bytes] = co_await bhttp::async_read(socket, buffer, parser, kAsTuple);
  if (read_ec) co_return;
  ScriptedResponse reply = state->answer(record(parser.get()));
  co_await answer(socket, reply);
  state->answered();
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<WebhookReceiverState> state) {
  while (true) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAsTuple);
    if (ec) co_return;
    asio::co_spawn(state->acceptor.get_executor(), serve(std::move(socket), state), asio::detached);
  }
}

std::string hex(const unsigned char* bytes, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (unsigned i = 0; i < length; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0F]);
  }
  return text;
}

}  // namespace

void parse_signature(std::string_view header, std::int64_t& timestamp,
                     std::vector<std::string>& v1) {
  timestamp = 0;
  v1.clear();
  while (!header.empty()) {
    std::size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    if (part.starts_with("t=")) {
      std::string_view digits = part.substr(2);
      std::from_chars(digits.data(), digits.data() + digits.size(), timestamp);
    } else if (part.starts_with("v1=")) {
      v1.emplace_back(part.substr(3));
    }
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
}

std::string expected_signature(std::string_view secret, std::int64_t timestamp,
                               std::string_view body) {
  std::string signed_text = std::to_string(timestamp);
  signed_text.append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac,
       &length);
  return hex(mac, length);
}

bool signed_with(const ReceivedWebhook& received, std::string_view secret) {
  std::string expected = expected_signature(secret, received.timestamp, received.request.body);
  for (const std::string& candidate : received.v1) {
    if (candidate.size() == expected.size() &&
        CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0) {
      return true;
    }
  }
  return false;
}

ScriptedResponse status_response(unsigned status) {
  ScriptedResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = status / 100 == 2 ? R"({"received":true})" : R"({"error":"scripted failure"})";
  return response;
}

WebhookReceiver::WebhookReceiver()
    : work_(asio::make_work_guard(io_)), state_(std::make_shared<WebhookReceiverState>(io_)) {
  port_ = state_->acceptor.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(state_), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

WebhookReceiver::~WebhookReceiver() {
  io_.stop();
  thread_.join();
}

std::string WebhookReceiver::url(std::string_view path) const {
  std::string url = "http://127.0.0.1:" + std::to_string(port_);
  url.append(path);
  return url;
}

void WebhookReceiver::push(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->script.push_back(std::move(response));
}

void WebhookReceiver::fail_next(int count, unsigned status) {
  for (int i = 0; i < count; ++i)
    push(status_response(status));
}

void WebhookReceiver::set_fallback(ScriptedResponse response) {
  std::lock_guard lock(state_->mutex);
  state_->fallback = std::move(response);
}

std::vector<ReceivedWebhook> WebhookReceiver::received() const {
  std::lock_guard lock(state_->mutex);
  return state_->received;
}

std::size_t WebhookReceiver::count() const {
  std::lock_guard lock(state_->mutex);
  return state_->received.size();
}

std::size_t WebhookReceiver::max_in_flight() const {
  std::lock_guard lock(state_->mutex);
  return state_->max_in_flight;
}

bool WebhookReceiver::wait_for(std::size_t count, std::chrono::milliseconds limit) const {
  return eventually([&] { return this->count() >= count; }, limit);
}

}  // namespace seoagents::testing
