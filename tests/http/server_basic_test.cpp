// Over-the-wire tests: health, HEAD, keep-alive, pipelining, errors, request ids, access log, CORS.
#include <gtest/gtest.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>
#include <string>

#include "http/router.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace json = boost::json;
using bhttp::field;
using bhttp::verb;

void add_test_routes(http::Router& router) {
  router.add(
      verb::get, "/test/throw",
      [](http::RequestContext&) -> asio::awaitable<http::Response> {
        throw std::runtime_error("secret-internal-detail");
        co_return http::Response{};
      },
      http::Access::open);
}

// The error envelope: exactly message, code and request_id, the id equal to X-Request-Id.
void expect_error_envelope(const ClientResponse& response, unsigned status, std::string_view code) {
  EXPECT_EQ(response.result_int(), status);
  EXPECT_EQ(response[field::content_type], "application/json");
  json::value body = json::parse(response.body());
  ASSERT_TRUE(body.is_object()) << response.body();
  const json::object& object = body.as_object();
  EXPECT_EQ(object.size(), 3u) << response.body();
  ASSERT_TRUE(object.contains("message") && object.at("message").is_string());
  EXPECT_FALSE(object.at("message").as_string().empty());
  ASSERT_TRUE(object.contains("code") && object.at("code").is_string());
  EXPECT_EQ(object.at("code").as_string(), code);
  ASSERT_TRUE(object.contains("request_id") && object.at("request_id").is_string());
  EXPECT_FALSE(response["X-Request-Id"].empty());
  EXPECT_EQ(object.at("request_id").as_string(), response["X-Request-Id"]);
}

bool has_cors_headers(const ClientResponse& response) {
  for (const auto& header : response) {
    if (boost::algorithm::istarts_with(header.name_string(), "Access-Control-")) return true;
  }
  return false;
}

TEST(ServerBasic, HealthRoutesAnswerStatusVersionAndUptime) {
  TestServer server;
  HttpClient client(server.port());
  for (std::string_view target : {"/health", "/v1/dashboard/health"}) {
    SCOPED_TRACE(std::string(target));
    ClientResponse response = client.request(verb::get, target);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response[field::content_type], "application/json");
    EXPECT_FALSE(response["X-Request-Id"].empty());
    EXPECT_EQ(response[field::content_length], std::to_string(response.body().size()));
    json::value body = json::parse(response.body());
    ASSERT_TRUE(body.is_object());
    const json::object& object = body.as_object();
    EXPECT_EQ(object.size(), 3u) << response.body();
    EXPECT_EQ(object.at("status"), "ok");
    EXPECT_EQ(object.at("version"), SEOAGENTS_VERSION);
    ASSERT_TRUE(object.at("uptime_s").is_int64()) << response.body();
    EXPECT_GE(object.at("uptime_s").as_int64(), 0);
  }
}

TEST(ServerBasic, HeadHealthSendsHeadersWithGetLengthAndNoBody) {
  TestServer server;
  ClientResponse get = HttpClient(server.port()).request(verb::get, "/health");
  RawResult raw =
      raw_exchange(server.port(), "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.closed);
  auto header_end = raw.bytes.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos) << raw.bytes;
  // Nothing may follow the header block: a HEAD response has no body on the wire.
  EXPECT_EQ(raw.bytes.size(), header_end + 4) << raw.bytes;
  auto responses = parse_responses(raw.bytes, {0});
  ASSERT_EQ(responses.size(), 1u) << raw.bytes;
  EXPECT_EQ(responses[0].result_int(), 200);
  EXPECT_EQ(responses[0][field::content_type], "application/json");
  EXPECT_EQ(responses[0][field::content_length], std::to_string(get.body().size()));
  EXPECT_FALSE(responses[0]["X-Request-Id"].empty());
}

TEST(ServerBasic, KeepAliveServesManyRequestsOnOneConnection) {
  TestServer server;
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i) {
    ClientResponse response = client.request(verb::get, i % 2 ? "/health" : "/v1/dashboard/health",
                                             {}, {{"X-Request-Id", "ka-" + std::to_string(i)}});
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(response["X-Request-Id"], "ka-" + std::to_string(i));
  }
  // A HEAD on the kept-alive connection does not desynchronise it.
  ClientResponse head = client.request(verb::head, "/health");
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(client.request(verb::get, "/health").result_int(), 200);
}

TEST(ServerBasic, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  TestServer server;
  RawResult raw = raw_exchange(server.port(), "GET /health HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(raw.closed);
  auto responses = parse_responses(raw.bytes);
  ASSERT_EQ(responses.size(), 1u) << raw.bytes;
  EXPECT_EQ(responses[0].result_int(), 200);
  EXPECT_EQ(responses[0].version(), 10);
}

TEST(ServerBasic, Http10WithKeepAliveStaysOpen) {
  TestServer server;
  HttpClient client(server.port());
  for (int i = 0; i < 2; ++i) {
    ClientRequest request = make_request(verb::get, "/health", {}, {{"Connection", "keep-alive"}});
    request.version(10);
    ClientResponse response = client.request(request);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(response.version(), 10);
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(ServerBasic, ConnectionCloseIsHonouredEvenWithMorePipelined) {
  TestServer server;
  RawResult raw = raw_exchange(server.port(),
                               "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                               "X-Request-Id: first\r\n\r\n"
                               "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n");
  EXPECT_TRUE(raw.closed);
  std::string leftover;
  auto responses = parse_responses(raw.bytes, {}, &leftover);
  ASSERT_EQ(responses.size(), 1u) << raw.bytes;
  EXPECT_TRUE(leftover.empty()) << leftover;
  EXPECT_EQ(responses[0].result_int(), 200);
  EXPECT_EQ(responses[0]["X-Request-Id"], "first");
  EXPECT_EQ(responses[0][field::connection], "close");
}

TEST(ServerBasic, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server;
  HttpClient client(server.port());
  ASSERT_FALSE(
      client.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-1\r\n\r\n"
                   "HEAD /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-2\r\n\r\n"
                   "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-3\r\n\r\n"
                   "GET /v1/dashboard/health HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-4\r\n\r\n"));
  ClientResponse first = client.read_response();
  ClientResponse second = client.read_response(/*head=*/true);
  ClientResponse third = client.read_response();
  ClientResponse fourth = client.read_response();
  EXPECT_EQ(first["X-Request-Id"], "pipe-1");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(second["X-Request-Id"], "pipe-2");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_EQ(third["X-Request-Id"], "pipe-3");
  EXPECT_EQ(third.result_int(), 404);
  EXPECT_EQ(body_request_id(third), "pipe-3");
  EXPECT_EQ(fourth["X-Request-Id"], "pipe-4");
  EXPECT_EQ(fourth.result_int(), 200);
  // The connection is still in step: one more request gets its own answer.
  ClientResponse fifth = client.request(verb::get, "/health", {}, {{"X-Request-Id", "pipe-5"}});
  EXPECT_EQ(fifth["X-Request-Id"], "pipe-5");
}

TEST(ServerBasic, UnknownPathIs404RouteNotFound) {
  TestServer server;
  HttpClient client(server.port());
  ClientResponse response = client.request(verb::get, "/definitely/not/here");
  expect_error_envelope(response, 404, "ROUTE_NOT_FOUND");
  EXPECT_TRUE(response.keep_alive());
  EXPECT_EQ(client.request(verb::get, "/health").result_int(), 200);
}

TEST(ServerBasic, WrongMethodIs405WithAllow) {
  TestServer server;
  HttpClient client(server.port());
  ClientResponse response = client.request(verb::delete_, "/health");
  expect_error_envelope(response, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(response[field::allow], "GET, HEAD, OPTIONS");
  ClientResponse post = client.request(verb::post, "/v1/dashboard/health", "{}");
  expect_error_envelope(post, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(post[field::allow], "GET, HEAD, OPTIONS");
}

TEST(ServerBasic, PlainOptionsListsAllowWithoutBody) {
  TestServer server;
  ClientResponse response = HttpClient(server.port()).request(verb::options, "/health");
  EXPECT_EQ(response.result_int(), 204);
  EXPECT_EQ(response[field::allow], "GET, HEAD, OPTIONS");
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response.find(field::content_length), response.end());
}

TEST(ServerBasic, ThrowingHandlerGives500AndConnectionStaysUsable) {
  TestServer server(test_config(), add_test_routes);
  HttpClient client(server.port());
  ClientResponse response =
      client.request(verb::get, "/test/throw", {}, {{"X-Request-Id", "throw-1"}});
  expect_error_envelope(response, 500, "INTERNAL_ERROR");
  EXPECT_EQ(response["X-Request-Id"], "throw-1");
  EXPECT_EQ(response.body().find("secret-internal-detail"), std::string::npos) << response.body();
  EXPECT_TRUE(response.keep_alive());
  ClientResponse after = client.request(verb::get, "/health");
  EXPECT_EQ(after.result_int(), 200);

  // The access log line is written before the response, so it is there by now.
  bool found = false;
  for (const std::string& line : server.log_lines()) {
    if (line.find("\"event\":\"request\"") == std::string::npos) continue;
    if (line.find("\"request_id\":\"throw-1\"") == std::string::npos) continue;
    found = true;
    EXPECT_NE(line.find("\"method\":\"GET\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"path\":\"/test/throw\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"status\":500"), std::string::npos) << line;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(server.logged("\"event\":\"handler_failed\""));
}

TEST(ServerBasic, AccessLogRecordsEachRequest) {
  TestServer server;
  HttpClient client(server.port());
  client.request(verb::get, "/health", {}, {{"X-Request-Id", "log-ok-1"}});
  client.request(verb::get, "/nope", {}, {{"X-Request-Id", "log-404-1"}});
  bool ok_found = false;
  bool missing_found = false;
  for (const std::string& line : server.log_lines()) {
    if (line.find("\"event\":\"request\"") == std::string::npos) continue;
    if (line.find("\"request_id\":\"log-ok-1\"") != std::string::npos) {
      ok_found = line.find("\"path\":\"/health\"") != std::string::npos &&
                 line.find("\"status\":200") != std::string::npos &&
                 line.find("\"method\":\"GET\"") != std::string::npos;
    }
    if (line.find("\"request_id\":\"log-404-1\"") != std::string::npos) {
      missing_found = line.find("\"path\":\"/nope\"") != std::string::npos &&
                      line.find("\"status\":404") != std::string::npos;
    }
  }
  EXPECT_TRUE(ok_found);
  EXPECT_TRUE(missing_found);
}

TEST(ServerBasic, WellFormedRequestIdIsEchoedInHeaderAndBody) {
  TestServer server;
  HttpClient client(server.port());
  const std::string id = "Client.id-42:A_b";
  ClientResponse response = client.request(verb::get, "/nope", {}, {{"X-Request-Id", id}});
  EXPECT_EQ(response["X-Request-Id"], id);
  EXPECT_EQ(body_request_id(response), id);
  const std::string longest(128, 'a');
  ClientResponse longest_response =
      client.request(verb::get, "/nope", {}, {{"X-Request-Id", longest}});
  EXPECT_EQ(longest_response["X-Request-Id"], longest);
}

TEST(ServerBasic, MalformedRequestIdIsReplaced) {
  TestServer server;
  HttpClient client(server.port());
  for (std::string bad : {std::string("has space"), std::string(129, 'a'), std::string("a/b"),
                          std::string("quote\"d")}) {
    SCOPED_TRACE(bad);
    ClientResponse response = client.request(verb::get, "/nope", {}, {{"X-Request-Id", bad}});
    EXPECT_EQ(response.result_int(), 404);
    EXPECT_NE(response["X-Request-Id"], bad);
    EXPECT_TRUE(response["X-Request-Id"].starts_with("req-")) << response["X-Request-Id"];
    EXPECT_EQ(body_request_id(response), response["X-Request-Id"]);
  }
}

TEST(ServerBasic, GeneratedRequestIdsAreUnique) {
  TestServer server;
  HttpClient client(server.port());
  std::string first(client.request(verb::get, "/health")["X-Request-Id"]);
  std::string second(client.request(verb::get, "/health")["X-Request-Id"]);
  EXPECT_TRUE(first.starts_with("req-")) << first;
  EXPECT_NE(first, second);
}

TEST(ServerCors, PreflightFromLocalDevelopmentOriginIsAllowed) {
  TestServer server;
  ClientResponse response = HttpClient(server.port())
                                .request(verb::options, "/health", {},
                                         {{"Origin", "http://localhost:3000"},
                                          {"Access-Control-Request-Method", "POST"},
                                          {"Access-Control-Request-Headers", "Authorization"}});
  EXPECT_EQ(response.result_int(), 204);
  EXPECT_TRUE(response.body().empty());
  EXPECT_EQ(response[field::access_control_allow_origin], "http://localhost:3000");
  std::string_view allowed = response[field::access_control_allow_headers];
  for (std::string_view header :
       {"Authorization", "X-API-Key", "Content-Type", "Idempotency-Key"}) {
    EXPECT_TRUE(boost::algorithm::icontains(allowed, header)) << header << " in " << allowed;
  }
  EXPECT_TRUE(boost::algorithm::icontains(response[field::access_control_allow_methods], "GET"))
      << response[field::access_control_allow_methods];
  EXPECT_FALSE(response[field::access_control_max_age].empty());
  EXPECT_TRUE(boost::algorithm::icontains(response[field::vary], "Origin"));
}

TEST(ServerCors, DisallowedOriginGetsNoCorsHeaders) {
  TestServer server;
  HttpClient client(server.port());
  ClientResponse preflight = client.request(
      verb::options, "/health", {},
      {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(preflight.result_int(), 204);
  EXPECT_FALSE(has_cors_headers(preflight));
  ClientResponse get =
      client.request(verb::get, "/health", {}, {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(get.result_int(), 200);
  EXPECT_FALSE(has_cors_headers(get));
  ClientResponse lookalike =
      client.request(verb::get, "/health", {}, {{"Origin", "http://localhost.evil.com"}});
  EXPECT_FALSE(has_cors_headers(lookalike));
}

TEST(ServerCors, ActualRequestFromAllowedOriginGetsCorsHeaders) {
  TestServer server;
  HttpClient client(server.port());
  ClientResponse response =
      client.request(verb::get, "/health", {}, {{"Origin", "http://127.0.0.1:5173"}});
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[field::access_control_allow_origin], "http://127.0.0.1:5173");
  EXPECT_TRUE(
      boost::algorithm::icontains(response[field::access_control_expose_headers], "X-Request-Id"));
  EXPECT_TRUE(boost::algorithm::icontains(response[field::vary], "Origin"));
  // Error responses carry them too, so a browser can read the error.
  ClientResponse missing =
      client.request(verb::get, "/nope", {}, {{"Origin", "http://127.0.0.1:5173"}});
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing[field::access_control_allow_origin], "http://127.0.0.1:5173");
}

TEST(ServerCors, ConfiguredOriginIsAllowed) {
  Config config = test_config();
  config.cors_origins = {"https://app.example.com"};
  TestServer server(config);
  HttpClient client(server.port());
  ClientResponse preflight = client.request(
      verb::options, "/v1/dashboard/health", {},
      {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(preflight.result_int(), 204);
  EXPECT_EQ(preflight[field::access_control_allow_origin], "https://app.example.com");
  ClientResponse get =
      client.request(verb::get, "/health", {}, {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(get[field::access_control_allow_origin], "https://app.example.com");
  ClientResponse other =
      client.request(verb::get, "/health", {}, {{"Origin", "https://app.example.com.evil.net"}});
  EXPECT_FALSE(has_cors_headers(other));
}

TEST(ServerCors, PreflightOnUnknownPathIs404) {
  TestServer server;
  ClientResponse response = HttpClient(server.port())
                                .request(verb::options, "/nope", {},
                                         {{"Origin", "http://localhost:3000"},
                                          {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(response.result_int(), 404);
}

}  // namespace
}  // namespace seoagents::testing
