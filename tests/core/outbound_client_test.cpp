// Tests of the outbound HTTP client against tiny loopback servers run on the test's own
// io_context: what goes over the wire, what comes back, and every failure kind.
#include "core/outbound_client.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/http_client.hpp"

namespace seoagents {
namespace {

using namespace std::chrono_literals;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using Kind = OutboundFailure::Kind;
using Result = Expected<OutboundResponse, OutboundFailure>;
namespace bhttp = boost::beast::http;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// The safety net on running a test's loop; never a timing assertion.
constexpr auto kRunWait = testing::kClientWait;
const std::string kUserAgent = "seoagents/" SEOAGENTS_VERSION;

// What a test server does once it has read a request.
enum class Reply {
  send,   // writes its canned response, then closes
  hold,   // never answers; keeps the connection open until the client goes
  close,  // closes without answering
};

// The state a server shares with its connection coroutines.
struct ServerState {
  ServerState(asio::io_context& io, const tcp::endpoint& endpoint) : acceptor(io, endpoint) {}
  tcp::acceptor acceptor;
  // Bytes written after each request.
  std::string response;
  Reply reply = Reply::send;
  // TLS server context, or null for plain HTTP.
  asio::ssl::context* tls = nullptr;
  // Over TLS: send close_notify before closing (false: just close the socket).
  bool close_notify = true;
  // Raw bytes of every complete request read.
  std::vector<std::string> requests;
  // Connections accepted.
  int accepted = 0;
};

// True when `data` holds a complete request (headers, then Content-Length bytes of body).
bool request_complete(const std::string& data) {
  std::size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = data.substr(0, end);
  for (char& c : head)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t length = 0;
  std::size_t at = head.find("\r\ncontent-length:");
  if (at != std::string::npos) length = std::stoul(head.substr(at + 17));
  return data.size() >= end + 4 + length;
}

template <class Stream>
asio::awaitable<void> serve(Stream& stream, std::shared_ptr<ServerState> state) {
  std::string data;
  char chunk[16384];
  while (!request_complete(data)) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(chunk), kAsTuple);
    if (ec) co_return;
    data.append(chunk, n);
  }
  state->requests.push_back(data);
  if (state->reply == Reply::hold) {
    // Waits until the client closes.
    while (true) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(chunk), kAsTuple);
      if (ec) co_return;
    }
  }
  if (state->reply == Reply::send)
    co_await asio::async_write(stream, asio::buffer(state->response), kAsTuple);
}

asio::awaitable<void> run_connection(tcp::socket socket, std::shared_ptr<ServerState> state) {
  error_code ignored;
  if (!state->tls) {
    co_await serve(socket, state);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  asio::ssl::stream<tcp::socket&> tls(socket, *state->tls);
  auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, kAsTuple);
  if (ec) co_return;
  co_await serve(tls, state);
  if (state->close_notify) co_await tls.async_shutdown(kAsTuple);
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> state) {
  while (true) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAsTuple);
    if (ec) co_return;
    ++state->accepted;
    asio::co_spawn(state->acceptor.get_executor(), run_connection(std::move(socket), state),
                   asio::detached);
  }
}

// A loopback HTTP(S) server that records every request it reads.
class LoopbackServer {
 public:
  explicit LoopbackServer(asio::io_context& io, std::string response = {},
                          const char* address = "127.0.0.1")
      : state_(
            std::make_shared<ServerState>(io, tcp::endpoint(asio::ip::make_address(address), 0))) {
    state_->response = std::move(response);
    asio::co_spawn(io, accept_loop(state_), asio::detached);
  }

  ServerState& state() { return *state_; }
  std::uint16_t port() const { return state_->acceptor.local_endpoint().port(); }
  // "http://127.0.0.1:<port><path>" (or https, or another host).
  std::string url(std::string_view path = "/", std::string_view scheme = "http",
                  std::string_view host = "127.0.0.1") const {
    return std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port()) +
           std::string(path);
  }

 private:
  std::shared_ptr<ServerState> state_;
};

// A socket that listens but never accepts: connections wait in the kernel's backlog, where
// connection_waiting() finds them without running any loop.
class SilentListener {
 public:
  explicit SilentListener(asio::io_context& io)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // True when a client has connected (the connection is taken out of the backlog).
  bool connection_waiting() {
    acceptor_.non_blocking(true);
    error_code ec;
    tcp::socket socket = acceptor_.accept(ec);
    return !ec;
  }

 private:
  tcp::acceptor acceptor_;
};

// Runs client.send(request) on `io` (with whatever servers it hosts) until it completes.
Result run_send(asio::io_context& io, OutboundClient& client, OutboundRequest request) {
  std::optional<Result> result;
  auto task = [&]() -> asio::awaitable<void> {
    result.emplace(co_await client.send(std::move(request)));
  };
  asio::co_spawn(io, task, [](std::exception_ptr error) {
    if (error) std::rethrow_exception(error);
  });
  io.restart();
  auto give_up = std::chrono::steady_clock::now() + kRunWait;
  while (!result && std::chrono::steady_clock::now() < give_up)
    io.run_one_for(50ms);
  if (!result) {
    ADD_FAILURE() << "send() did not complete";
    return unexpected(OutboundFailure{Kind::protocol, "did not complete"});
  }
  return std::move(*result);
}

OutboundRequest get(std::string url) {
  return {bhttp::verb::get, std::move(url), {}, {}};
}

OutboundOptions loopback_options() {
  OutboundOptions options;
  options.allow_private_targets = true;
  return options;
}

std::string describe(const Result& result) {
  if (result) return "status " + std::to_string(result->status);
  return std::string(to_string(result.error().kind)) + ": " + result.error().message;
}

// Expects a failure of `kind`; returns its message.
std::string expect_failure(const Result& result, Kind kind) {
  EXPECT_FALSE(result.has_value()) << describe(result);
  if (result) return {};
  EXPECT_EQ(to_string(result.error().kind), to_string(kind)) << result.error().message;
  return result.error().message;
}

// A server context for a certificate, accepting TLS versions [min_version, max_version].
asio::ssl::context server_tls_context(const testing::SelfSignedCert& cert, int min_version = 0,
                                      int max_version = 0) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  if (max_version != 0 && max_version < TLS1_2_VERSION) {
    SSL_CTX_set_security_level(context.native_handle(), 0);
    SSL_CTX_set_cipher_list(context.native_handle(), "DEFAULT:@SECLEVEL=0");
  }
  SSL_CTX_set_min_proto_version(context.native_handle(), min_version);
  SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  context.use_certificate_chain_file(cert.cert_file());
  context.use_private_key_file(cert.key_file(), asio::ssl::context::pem);
  return context;
}

const std::string kOkResponse = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

TEST(OutboundClient, GetArrivesExactlyAsSent) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  OutboundRequest request = get(server.url("/path/to?x=1&y=%20z"));
  request.headers = {{"Accept", "application/json"}, {"X-Custom", "a, b; c=\"d\""}};
  Result result = run_send(io, client, request);
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.state().requests.size(), 1u);
  std::string host = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(server.state().requests[0],
            "GET /path/to?x=1&y=%20z HTTP/1.1\r\n"
            "Accept: application/json\r\n"
            "X-Custom: a, b; c=\"d\"\r\n"
            "Host: " +
                host +
                "\r\n"
                "User-Agent: " +
                kUserAgent +
                "\r\n"
                "Connection: close\r\n\r\n");
}

TEST(OutboundClient, PostBodyAndHeadersArriveExactlyAsSent) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  std::string body = std::string("{\"title\":\"Caf\xc3\xa9\",\"raw\":\"\r\n\"}") + '\0' + "end";
  OutboundRequest request{bhttp::verb::post,
                          server.url("/hook"),
                          {{"Content-Type", "application/json"}, {"Authorization", "Bearer t0k"}},
                          body};
  Result result = run_send(io, client, request);
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.state().requests.size(), 1u);
  EXPECT_EQ(server.state().requests[0],
            "POST /hook HTTP/1.1\r\n"
            "Content-Type: application/json\r\n"
            "Authorization: Bearer t0k\r\n"
            "Host: 127.0.0.1:" +
                std::to_string(server.port()) +
                "\r\n"
                "User-Agent: " +
                kUserAgent +
                "\r\n"
                "Connection: close\r\n"
                "Content-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body);
}

TEST(OutboundClient, LargeBodyArrivesIntact) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  std::string body(3 * 1024 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < body.size(); ++i)
    body[i] = static_cast<char>('a' + (i * 7) % 26);
  Result result = run_send(io, client, {bhttp::verb::put, server.url("/big"), {}, body});
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.state().requests.size(), 1u);
  const std::string& raw = server.state().requests[0];
  ASSERT_GE(raw.size(), body.size());
  EXPECT_TRUE(raw.compare(raw.size() - body.size(), body.size(), body) == 0);
}

TEST(OutboundClient, EmptyPostStillSendsContentLength) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, {bhttp::verb::post, server.url("/"), {}, {}});
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.state().requests.size(), 1u);
  EXPECT_NE(server.state().requests[0].find("\r\nContent-Length: 0\r\n"), std::string::npos)
      << server.state().requests[0];
}

TEST(OutboundClient, ClientOwnedHeadersCannotBeOverridden) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  OutboundRequest request{bhttp::verb::post,
                          server.url("/"),
                          {{"Host", "evil.example"},
                           {"content-length", "999"},
                           {"Transfer-Encoding", "chunked"},
                           {"Connection", "keep-alive"},
                           {"User-Agent", "custom-agent/1"}},
                          "abc"};
  Result result = run_send(io, client, request);
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.state().requests.size(), 1u);
  EXPECT_EQ(server.state().requests[0],
            "POST / HTTP/1.1\r\n"
            "User-Agent: custom-agent/1\r\n"
            "Host: 127.0.0.1:" +
                std::to_string(server.port()) +
                "\r\n"
                "Connection: close\r\n"
                "Content-Length: 3\r\n\r\nabc");
}

TEST(OutboundClient, HeaderInjectionIsRefusedBeforeConnecting) {
  asio::io_context io;
  SilentListener listener(io);
  OutboundClient client(loopback_options());
  std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/";
  OutboundRequest bad_value{bhttp::verb::get, url, {{"X-A", "1\r\nX-Injected: 2"}}, {}};
  expect_failure(run_send(io, client, bad_value), Kind::invalid_url);
  OutboundRequest bad_name{bhttp::verb::get, url, {{"X A", "1"}}, {}};
  expect_failure(run_send(io, client, bad_name), Kind::invalid_url);
  OutboundRequest empty_name{bhttp::verb::get, url, {{"", "1"}}, {}};
  expect_failure(run_send(io, client, empty_name), Kind::invalid_url);
  EXPECT_FALSE(listener.connection_waiting());
}

TEST(OutboundClient, ReturnsStatusHeadersAndBody) {
  asio::io_context io;
  LoopbackServer server(io,
                        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                        "X-Trace: abc\r\nContent-Length: 11\r\n\r\n{\"id\":\"a1\"}");
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, get(server.url()));
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->status, 201u);
  EXPECT_EQ(result->body, "{\"id\":\"a1\"}");
  EXPECT_EQ(result->headers[bhttp::field::content_type], "application/json");
  EXPECT_EQ(result->headers["X-Trace"], "abc");
  EXPECT_GE(result->latency.count(), 0);
}

TEST(OutboundClient, ErrorStatusesAreResponsesNotFailures) {
  asio::io_context io;
  LoopbackServer server(io, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, get(server.url()));
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->status, 503u);
  EXPECT_EQ(result->body, "busy");
}

TEST(OutboundClient, ChunkedAndCloseDelimitedBodiesAreRead) {
  asio::io_context io;
  LoopbackServer chunked(io,
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  LoopbackServer until_close(io, "HTTP/1.1 200 OK\r\n\r\nbody until close");
  OutboundClient client(loopback_options());
  Result first = run_send(io, client, get(chunked.url()));
  ASSERT_TRUE(first) << describe(first);
  EXPECT_EQ(first->body, "hello world");
  Result second = run_send(io, client, get(until_close.url()));
  ASSERT_TRUE(second) << describe(second);
  EXPECT_EQ(second->body, "body until close");
}

TEST(OutboundClient, InterimResponsesAreSkipped) {
  asio::io_context io;
  LoopbackServer server(io,
                        "HTTP/1.1 100 Continue\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, {bhttp::verb::post, server.url(), {}, "x"});
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->body, "ok");
}

TEST(OutboundClient, HeadResponseHasNoBody) {
  asio::io_context io;
  LoopbackServer server(io, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, {bhttp::verb::head, server.url(), {}, {}});
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->status, 200u);
  EXPECT_EQ(result->body, "");
  EXPECT_EQ(result->headers[bhttp::field::content_length], "1234");
}

TEST(OutboundClient, RedirectIsReturnedNotFollowed) {
  asio::io_context io;
  LoopbackServer target(io, kOkResponse);
  LoopbackServer server(io, "HTTP/1.1 302 Found\r\nLocation: " + target.url("/elsewhere") +
                                "\r\nContent-Length: 0\r\n\r\n");
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, get(server.url("/start")));
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->status, 302u);
  EXPECT_EQ(result->headers[bhttp::field::location], target.url("/elsewhere"));
  EXPECT_EQ(server.state().requests.size(), 1u);
  EXPECT_EQ(target.state().accepted, 0);
}

TEST(OutboundClient, ResponseOverTheLimitIsTooLarge) {
  asio::io_context io;
  OutboundOptions options = loopback_options();
  options.max_response_bytes = 1000;
  OutboundClient client(options);

  LoopbackServer exact(io,
                       "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'x'));
  Result at_limit = run_send(io, client, get(exact.url()));
  ASSERT_TRUE(at_limit) << describe(at_limit);
  EXPECT_EQ(at_limit->body.size(), 1000u);

  LoopbackServer declared(
      io, "HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n" + std::string(1001, 'x'));
  std::string message = expect_failure(run_send(io, client, get(declared.url())), Kind::too_large);
  EXPECT_NE(message.find("1000 bytes"), std::string::npos) << message;

  std::string chunks;
  for (int i = 0; i < 20; ++i)
    chunks += "64\r\n" + std::string(100, 'y') + "\r\n";
  LoopbackServer chunked(
      io, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");
  expect_failure(run_send(io, client, get(chunked.url())), Kind::too_large);

  LoopbackServer until_close(io, "HTTP/1.1 200 OK\r\n\r\n" + std::string(5000, 'z'));
  expect_failure(run_send(io, client, get(until_close.url())), Kind::too_large);
}

TEST(OutboundClient, HugeHeadersAreTooLarge) {
  asio::io_context io;
  LoopbackServer server(io, "HTTP/1.1 200 OK\r\nX-Big: " + std::string(70 * 1024, 'h') +
                                "\r\nContent-Length: 0\r\n\r\n");
  OutboundClient client(loopback_options());
  expect_failure(run_send(io, client, get(server.url())), Kind::too_large);
}

TEST(OutboundClient, ServerThatNeverAnswersTimesOut) {
  asio::io_context io;
  LoopbackServer server(io);
  server.state().reply = Reply::hold;
  OutboundOptions options = loopback_options();
  options.response_timeout = 300ms;
  OutboundClient client(options);
  expect_failure(run_send(io, client, get(server.url())), Kind::timeout);
  EXPECT_EQ(server.state().requests.size(), 1u);
}

TEST(OutboundClient, ServerThatNeverReadsTimesOut) {
  asio::io_context io;
  SilentListener listener(io);
  OutboundOptions options = loopback_options();
  options.response_timeout = 300ms;
  OutboundClient client(options);
  std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/";
  expect_failure(run_send(io, client, get(url)), Kind::timeout);
  // The probe the no-connection tests rely on does see a connection that was made.
  EXPECT_TRUE(listener.connection_waiting());
}

TEST(OutboundClient, ClosingWithoutAnswerAndGarbageAreFailures) {
  asio::io_context io;
  LoopbackServer silent_close(io);
  silent_close.state().reply = Reply::close;
  LoopbackServer garbage(io, "NOT HTTP AT ALL\r\n\r\n");
  LoopbackServer truncated(io, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
  OutboundClient client(loopback_options());
  expect_failure(run_send(io, client, get(silent_close.url())), Kind::connect);
  expect_failure(run_send(io, client, get(garbage.url())), Kind::protocol);
  expect_failure(run_send(io, client, get(truncated.url())), Kind::protocol);
}

TEST(OutboundClient, ClosedPortIsAConnectFailure) {
  asio::io_context io;
  std::uint16_t port = 0;
  {
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  OutboundClient client(loopback_options());
  std::string message = expect_failure(
      run_send(io, client, get("http://127.0.0.1:" + std::to_string(port) + "/")), Kind::connect);
  EXPECT_EQ(message, "connection to 127.0.0.1:" + std::to_string(port) + " refused");
}

TEST(OutboundClient, UnresolvableHostIsADnsFailure) {
  asio::io_context io;
  OutboundClient client(loopback_options());
  std::string message =
      expect_failure(run_send(io, client, get("http://nonexistent.invalid/")), Kind::dns);
  EXPECT_EQ(message.rfind("DNS lookup of nonexistent.invalid failed: ", 0), 0u) << message;
}

TEST(OutboundClient, InvalidUrlsAreRefused) {
  asio::io_context io;
  OutboundClient client(loopback_options());
  std::string message =
      expect_failure(run_send(io, client, get("ftp://example.com/")), Kind::invalid_url);
  EXPECT_EQ(message, "URL must use http or https");
  expect_failure(run_send(io, client, get("http://user:pw@127.0.0.1/")), Kind::invalid_url);
  expect_failure(run_send(io, client, get("")), Kind::invalid_url);
  expect_failure(run_send(io, client, {bhttp::verb::connect, "http://127.0.0.1/", {}, {}}),
                 Kind::invalid_url);
}

TEST(OutboundClient, LoopbackIsRefusedWithoutConnecting) {
  asio::io_context io;
  SilentListener listener(io);
  OutboundClient client(OutboundOptions{});  // allow_private_targets = false
  std::string port = std::to_string(listener.port());
  std::string message =
      expect_failure(run_send(io, client, get("http://127.0.0.1:" + port + "/")), Kind::unsafe_url);
  EXPECT_EQ(message,
            "host 127.0.0.1 resolves to a private or loopback address (127.0.0.1); such targets "
            "are refused");
  message =
      expect_failure(run_send(io, client, get("http://localhost:" + port + "/")), Kind::unsafe_url);
  EXPECT_NE(message.find("host localhost resolves to a private or loopback address"),
            std::string::npos)
      << message;
  expect_failure(run_send(io, client, get("https://localhost:" + port + "/")), Kind::unsafe_url);
  expect_failure(run_send(io, client, get("http://[::ffff:127.0.0.1]:" + port + "/")),
                 Kind::unsafe_url);
  expect_failure(run_send(io, client, get("http://[::1]:" + port + "/")), Kind::unsafe_url);
  expect_failure(run_send(io, client, get("http://169.254.169.254/latest/meta-data/")),
                 Kind::unsafe_url);
  EXPECT_FALSE(listener.connection_waiting());
}

TEST(OutboundClient, LocalhostByNameWorksWhenAllowed) {
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, get(server.url("/", "http", "localhost")));
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->body, "hello");
  ASSERT_EQ(server.state().requests.size(), 1u);
  EXPECT_NE(server.state().requests[0].find("\r\nHost: localhost:" + std::to_string(server.port()) +
                                            "\r\n"),
            std::string::npos);
}

TEST(OutboundClient, Ipv6LoopbackLiteral) {
  asio::io_context io;
  std::optional<LoopbackServer> server;
  try {
    server.emplace(io, kOkResponse, "::1");
  } catch (const boost::system::system_error&) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  OutboundClient client(loopback_options());
  Result result = run_send(io, client, get(server->url("/v6", "http", "[::1]")));
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server->state().requests.size(), 1u);
  EXPECT_NE(server->state().requests[0].find("\r\nHost: [::1]:" + std::to_string(server->port())),
            std::string::npos);
}

TEST(OutboundClientTls, HttpsWithTrustedCaSucceeds) {
  testing::SelfSignedCert cert;
  asio::ssl::context tls = server_tls_context(cert);
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  server.state().tls = &tls;
  OutboundOptions options = loopback_options();
  options.ca_file = cert.cert_file();
  OutboundClient client(options);
  for (const char* host : {"localhost", "127.0.0.1"}) {
    SCOPED_TRACE(host);
    OutboundRequest request{
        bhttp::verb::post, server.url("/secure", "https", host), {{"X-Sig", "s"}}, "payload"};
    Result result = run_send(io, client, request);
    ASSERT_TRUE(result) << describe(result);
    EXPECT_EQ(result->status, 200u);
    EXPECT_EQ(result->body, "hello");
  }
  ASSERT_EQ(server.state().requests.size(), 2u);
  EXPECT_EQ(server.state().requests[1].rfind("POST /secure HTTP/1.1\r\nX-Sig: s\r\n", 0), 0u);
  EXPECT_NE(server.state().requests[1].find("\r\n\r\npayload"), std::string::npos);
}

TEST(OutboundClientTls, CloseDelimitedBodyWithoutCloseNotifyIsRead) {
  testing::SelfSignedCert cert;
  asio::ssl::context tls = server_tls_context(cert);
  asio::io_context io;
  LoopbackServer server(io, "HTTP/1.1 200 OK\r\n\r\nuntil the socket closes");
  server.state().tls = &tls;
  server.state().close_notify = false;
  OutboundOptions options = loopback_options();
  options.ca_file = cert.cert_file();
  OutboundClient client(options);
  Result result = run_send(io, client, get(server.url("/", "https", "localhost")));
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->body, "until the socket closes");
}

TEST(OutboundClientTls, UntrustedCertificateFails) {
  testing::SelfSignedCert cert;
  asio::ssl::context tls = server_tls_context(cert);
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  server.state().tls = &tls;
  OutboundClient client(loopback_options());  // system CAs only
  std::string message =
      expect_failure(run_send(io, client, get(server.url("/", "https", "localhost"))), Kind::tls);
  EXPECT_NE(message.find("TLS handshake with localhost:" + std::to_string(server.port()) +
                         " failed: certificate verify failed"),
            std::string::npos)
      << message;
  EXPECT_TRUE(server.state().requests.empty());
}

TEST(OutboundClientTls, CertificateForAnotherHostFails) {
  testing::SelfSignedCert cert;  // valid for localhost and 127.0.0.1 only
  asio::ssl::context tls = server_tls_context(cert);
  asio::io_context io;
  std::optional<LoopbackServer> server;
  try {
    server.emplace(io, kOkResponse, "127.0.0.2");
  } catch (const boost::system::system_error&) {
    GTEST_SKIP() << "cannot bind 127.0.0.2 here";
  }
  server->state().tls = &tls;
  OutboundOptions options = loopback_options();
  options.ca_file = cert.cert_file();
  OutboundClient client(options);
  std::string message =
      expect_failure(run_send(io, client, get(server->url("/", "https", "127.0.0.2"))), Kind::tls);
  EXPECT_NE(message.find("certificate verify failed (IP address mismatch)"), std::string::npos)
      << message;
  EXPECT_TRUE(server->state().requests.empty());
}

TEST(OutboundClientTls, ProtocolsBelowTls12AreRefused) {
  testing::SelfSignedCert cert;
  asio::ssl::context tls = server_tls_context(cert, TLS1_VERSION, TLS1_1_VERSION);
  asio::io_context io;
  LoopbackServer server(io, kOkResponse);
  server.state().tls = &tls;
  OutboundOptions options = loopback_options();
  options.ca_file = cert.cert_file();
  OutboundClient client(options);
  expect_failure(run_send(io, client, get(server.url("/", "https", "localhost"))), Kind::tls);
  EXPECT_TRUE(server.state().requests.empty());
}

TEST(OutboundClientTls, HandshakeThatNeverCompletesTimesOut) {
  asio::io_context io;
  SilentListener listener(io);
  OutboundOptions options = loopback_options();
  options.connect_timeout = 300ms;
  OutboundClient client(options);
  std::string url = "https://127.0.0.1:" + std::to_string(listener.port()) + "/";
  expect_failure(run_send(io, client, get(url)), Kind::timeout);
}

TEST(OutboundClientTls, MissingCaFileIsATlsFailure) {
  asio::io_context io;
  OutboundOptions options = loopback_options();
  options.ca_file = "/nonexistent/seoagents-ca.pem";
  OutboundClient client(options);
  std::string message =
      expect_failure(run_send(io, client, get("https://127.0.0.1:1/")), Kind::tls);
  EXPECT_NE(message.find("cannot load CA file /nonexistent/seoagents-ca.pem"), std::string::npos)
      << message;
}

TEST(OutboundFailureKind, NamesEveryKind) {
  EXPECT_EQ(to_string(Kind::invalid_url), "invalid_url");
  EXPECT_EQ(to_string(Kind::unsafe_url), "unsafe_url");
  EXPECT_EQ(to_string(Kind::dns), "dns");
  EXPECT_EQ(to_string(Kind::connect), "connect");
  EXPECT_EQ(to_string(Kind::tls), "tls");
  EXPECT_EQ(to_string(Kind::timeout), "timeout");
  EXPECT_EQ(to_string(Kind::too_large), "too_large");
  EXPECT_EQ(to_string(Kind::protocol), "protocol");
}

}  // namespace
}  // namespace seoagents
