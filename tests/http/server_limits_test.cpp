// Over-the-wire tests of protocol limits: 413, 431, 400, 501, 417, 100-continue, timeouts, 503.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <ostream>
#include <string>
#include <thread>

#include "http/router.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using bhttp::field;
using bhttp::verb;

constexpr std::size_t kMaxBody = 1024 * 1024;

// POST /test/echo-size answers {"size": <body bytes received>}.
void add_echo_size_route(http::Router& router) {
  router.add(
      verb::post, "/test/echo-size",
      [](http::RequestContext& context) -> asio::awaitable<http::Response> {
        co_return http::json_response(
            bhttp::status::ok, "{\"size\":" + std::to_string(context.request.body().size()) + "}");
      },
      http::Access::open);
}

// A configuration whose body and idle waits outlast the client's safety net, so a server that
// waited for them instead of answering would fail the test.
Config patient_config() {
  Config config = test_config();
  config.body_timeout = 60s;
  config.idle_timeout = 60s;
  config.header_timeout = 60s;
  return config;
}

std::int64_t echoed_size(const ClientResponse& response) {
  json::value body = json::parse(response.body());
  return body.as_object().at("size").as_int64();
}

// Exactly one response in `raw`, and the server closed the connection after it.
ClientResponse single_response_then_close(const RawResult& raw) {
  EXPECT_TRUE(raw.closed) << "the server did not close the connection";
  auto responses = parse_responses(raw.bytes);
  EXPECT_EQ(responses.size(), 1u) << raw.bytes;
  if (responses.empty()) return {};
  return responses.front();
}

std::string error_code_of(const ClientResponse& response) {
  boost::system::error_code ec;
  json::value body = json::parse(response.body(), ec);
  if (ec || !body.is_object() || !body.as_object().contains("code")) return {};
  return std::string(body.as_object().at("code").as_string());
}

TEST(ServerLimits, DeclaredOversizedBodyIsRefusedWithoutWaitingForIt) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  // Only the headers: a server that waited for the 2 MB body would never answer in time.
  ASSERT_FALSE(client.write(
      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
      "Content-Length: 2000000\r\nX-Request-Id: big-1\r\n\r\n"));
  ClientResponse response = single_response_then_close(client.read_until_closed());
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(error_code_of(response), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(response["X-Request-Id"], "big-1");
  EXPECT_EQ(body_request_id(response), "big-1");
  EXPECT_EQ(response[field::connection], "close");
}

TEST(ServerLimits, ChunkedBodyOverTheLimitIs413) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  std::string request =
      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, 'x');
  for (std::size_t sent = 0; sent <= kMaxBody; sent += chunk.size()) {
    request += "10000\r\n" + chunk + "\r\n";
  }
  request += "0\r\n\r\n";
  client.write(request);  // the server may stop reading early; its answer is what counts
  ClientResponse response = single_response_then_close(client.read_until_closed());
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(error_code_of(response), "PAYLOAD_TOO_LARGE");
}

TEST(ServerLimits, BodiesUpToTheLimitAreAccepted) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  ClientResponse under =
      client.request(verb::post, "/test/echo-size", std::string(kMaxBody - 1, 'a'));
  EXPECT_EQ(under.result_int(), 200);
  EXPECT_EQ(echoed_size(under), static_cast<std::int64_t>(kMaxBody - 1));
  ClientResponse exact = client.request(verb::post, "/test/echo-size", std::string(kMaxBody, 'b'));
  EXPECT_EQ(exact.result_int(), 200);
  EXPECT_EQ(echoed_size(exact), static_cast<std::int64_t>(kMaxBody));
  ClientResponse over =
      client.request(verb::post, "/test/echo-size", std::string(kMaxBody + 1, 'c'));
  EXPECT_EQ(over.result_int(), 413);
  EXPECT_FALSE(over.keep_alive());
}

TEST(ServerLimits, ChunkedBodyUnderTheLimitIsDecoded) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  ASSERT_FALSE(
      client.write("POST /test/echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  ClientResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(echoed_size(response), 11);
  EXPECT_EQ(client.request(verb::get, "/health").result_int(), 200);
}

TEST(ServerLimits, OversizedHeadersAre431AndClose) {
  TestServer server(patient_config());
  RawResult raw = raw_exchange(server.port(), raw_get_with_filler("/health", 9000));
  ClientResponse response = single_response_then_close(raw);
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(error_code_of(response), "HEADERS_TOO_LARGE");
  EXPECT_EQ(body_request_id(response), response["X-Request-Id"]);
}

TEST(ServerLimits, HeadersUnderTheLimitAreAccepted) {
  TestServer server(patient_config());
  ClientResponse response =
      HttpClient(server.port())
          .request(verb::get, "/health", {}, {{"X-Fill", std::string(7000, 'a')}});
  EXPECT_EQ(response.result_int(), 200);
}

struct MalformedCase {
  const char* name;
  const char* bytes;
};

void PrintTo(const MalformedCase& c, std::ostream* os) {
  *os << c.name;
}

class ServerMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(ServerMalformed, IsAnswered400AndClosed) {
  TestServer server(patient_config(), add_echo_size_route);
  ClientResponse response =
      single_response_then_close(raw_exchange(server.port(), GetParam().bytes));
  EXPECT_EQ(response.result_int(), 400) << response.body();
  EXPECT_EQ(error_code_of(response), "BAD_REQUEST");
  EXPECT_EQ(body_request_id(response), response["X-Request-Id"]);
}

INSTANTIATE_TEST_SUITE_P(
    Requests, ServerMalformed,
    ::testing::Values(
        MalformedCase{"Garbage", "GARBAGE\r\n\r\n"},
        MalformedCase{"UnknownHttpVersion", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"},
        MalformedCase{"HeaderWithoutColon",
                      "GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"},
        MalformedCase{"NonNumericContentLength",
                      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"},
        MalformedCase{"ContentLengthAndChunked",
                      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
        MalformedCase{"ConflictingContentLengths",
                      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Content-Length: 6\r\n\r\nhello!"},
        MalformedCase{"BadChunkSize",
                      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      "\r\nzz\r\nhello\r\n0\r\n\r\n"}),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return std::string(info.param.name);
    });

TEST(ServerLimits, MalformedTargetIs400ButTheConnectionStaysUsable) {
  TestServer server(patient_config());
  HttpClient client(server.port());
  ClientResponse response = client.request(verb::get, "health", {}, {{"X-Request-Id", "tgt-1"}});
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(error_code_of(response), "BAD_REQUEST");
  EXPECT_EQ(body_request_id(response), "tgt-1");
  EXPECT_EQ(client.request(verb::get, "/health").result_int(), 200);
}

TEST(ServerLimits, AbsoluteFormTargetIsServed) {
  // RFC 9112 section 3.2.2: a server must accept the absolute form.
  TestServer server(patient_config());
  HttpClient client(server.port());
  EXPECT_EQ(client.request(verb::get, "http://127.0.0.1/health").result_int(), 200);
  EXPECT_EQ(client.request(verb::get, "http://127.0.0.1/nope?x=1").result_int(), 404);
}

TEST(ServerLimits, PipelinedBodiesAreFramedExactly) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  ASSERT_FALSE(
      client.write("POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                   "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"
                   "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                   "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(echoed_size(client.read_response()), 3);
  EXPECT_EQ(echoed_size(client.read_response()), 5);
  EXPECT_EQ(echoed_size(client.read_response()), 0);
  EXPECT_EQ(client.read_response().result_int(), 200);
}

TEST(ServerLimits, UnsupportedTransferEncodingIs501) {
  TestServer server(patient_config(), add_echo_size_route);
  ClientResponse response = single_response_then_close(raw_exchange(
      server.port(),
      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n"
      "X-Request-Id: te-1\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(response.result_int(), 501);
  EXPECT_EQ(error_code_of(response), "UNSUPPORTED_TRANSFER_ENCODING");
  EXPECT_EQ(body_request_id(response), "te-1");
}

TEST(ServerLimits, ExpectContinueGets100ThenTheFinalResponse) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  ASSERT_FALSE(
      client.write("POST /test/echo-size HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                   "Content-Length: 11\r\n\r\n"));
  RawResult interim = client.read_until("\r\n\r\n");
  ASSERT_FALSE(interim.closed) << interim.bytes;
  EXPECT_TRUE(interim.bytes.starts_with("HTTP/1.1 100 Continue\r\n")) << interim.bytes;
  ASSERT_FALSE(client.write("hello world"));
  ClientResponse response = client.read_response();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(echoed_size(response), 11);
  EXPECT_EQ(client.request(verb::get, "/health").result_int(), 200);
}

TEST(ServerLimits, ExpectContinueWithOversizedBodyIs413Without100) {
  TestServer server(patient_config(), add_echo_size_route);
  HttpClient client(server.port());
  ASSERT_FALSE(
      client.write("POST /test/echo-size HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                   "Content-Length: 2000000\r\n\r\n"));
  RawResult raw = client.read_until_closed();
  EXPECT_FALSE(raw.bytes.starts_with("HTTP/1.1 100")) << raw.bytes;
  ClientResponse response = single_response_then_close(raw);
  EXPECT_EQ(response.result_int(), 413);
}

TEST(ServerLimits, UnknownExpectationIs417) {
  TestServer server(patient_config(), add_echo_size_route);
  ClientResponse response = single_response_then_close(
      raw_exchange(server.port(),
                   "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n"
                   "Content-Length: 2\r\n\r\nhi"));
  EXPECT_EQ(response.result_int(), 417);
  EXPECT_EQ(error_code_of(response), "EXPECTATION_FAILED");
}

TEST(ServerTimeouts, IncompleteHeadersAreDisconnected) {
  Config config = patient_config();
  config.header_timeout = 300ms;
  TestServer server(config);
  HttpClient client(server.port());
  ASSERT_FALSE(client.write("GET /health HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTimeouts, SilentNewConnectionIsDisconnected) {
  Config config = patient_config();
  config.header_timeout = 300ms;
  TestServer server(config);
  HttpClient client(server.port());
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTimeouts, IdleKeepAliveConnectionIsDisconnected) {
  Config config = patient_config();
  config.idle_timeout = 300ms;
  TestServer server(config);
  HttpClient client(server.port());
  ClientResponse response = client.request(verb::get, "/health");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_TRUE(response.keep_alive());
  RawResult rest = client.read_until_closed();
  EXPECT_TRUE(rest.closed);
  EXPECT_TRUE(rest.bytes.empty()) << rest.bytes;
}

// Sends `prefix`, then one more byte of `filler` every 50 ms until a write fails because the
// server closed the connection (true) or the safety net runs out (false).
bool trickle_until_closed(HttpClient& client, const std::string& prefix) {
  if (client.write(prefix)) return true;
  auto deadline = std::chrono::steady_clock::now() + kClientWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    if (client.write("a")) return true;
  }
  return false;
}

TEST(ServerTimeouts, TrickledHeadersAreDisconnected) {
  Config config = patient_config();
  config.header_timeout = 500ms;
  TestServer server(config);
  HttpClient client(server.port());
  // Each byte arrives well within the timeout; the header as a whole never completes.
  EXPECT_TRUE(trickle_until_closed(client, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "));
}

TEST(ServerTimeouts, TrickledBodyIsDisconnected) {
  Config config = patient_config();
  config.body_timeout = 500ms;
  TestServer server(config, add_echo_size_route);
  HttpClient client(server.port());
  EXPECT_TRUE(trickle_until_closed(
      client, "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
}

TEST(ServerTimeouts, StalledBodyIsDisconnected) {
  Config config = patient_config();
  config.body_timeout = 300ms;
  TestServer server(config, add_echo_size_route);
  HttpClient client(server.port());
  ASSERT_FALSE(client.write(
      "POST /test/echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part"));
  EXPECT_TRUE(client.wait_closed());
}

// Retries GET /health on fresh connections until one is answered 200 or the safety net runs out.
bool eventually_served(std::uint16_t port) {
  auto deadline = std::chrono::steady_clock::now() + kClientWait;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpClient client(port);
    ClientResponse response;
    if (!client.send(make_request(verb::get, "/health")) && !client.read_response(response) &&
        response.result_int() == 200) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(ServerLimits, ConnectionsOverTheMaximumGet503AndClose) {
  Config config = patient_config();
  config.max_connections = 2;
  TestServer server(config);
  HttpClient first(server.port());
  HttpClient second(server.port());
  // A request on each makes sure the server has accepted and counted both.
  ASSERT_EQ(first.request(verb::get, "/health").result_int(), 200);
  ASSERT_EQ(second.request(verb::get, "/health").result_int(), 200);

  HttpClient third(server.port());
  ClientResponse refused = single_response_then_close(third.read_until_closed());
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(error_code_of(refused), "SERVICE_UNAVAILABLE");
  EXPECT_FALSE(refused[field::retry_after].empty());
  EXPECT_EQ(body_request_id(refused), refused["X-Request-Id"]);

  // The two admitted connections are unaffected.
  EXPECT_EQ(first.request(verb::get, "/health").result_int(), 200);
  EXPECT_EQ(second.request(verb::get, "/health").result_int(), 200);

  first.close();
  EXPECT_TRUE(eventually_served(server.port()));
  EXPECT_EQ(second.request(verb::get, "/health").result_int(), 200);
}

}  // namespace
}  // namespace seoagents::testing
