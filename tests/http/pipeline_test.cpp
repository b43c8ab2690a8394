// Tests of http::Pipeline::handle without sockets: ids, errors, CORS, middleware, access log.
#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>

namespace seoagents::http {
namespace {

namespace json = boost::json;

const std::regex kGeneratedId(R"(^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$)");

// Runs one request through the pipeline on a private io_context and returns the response.
Response run(const Pipeline& pipeline, Request& request, const ConnectionInfo& connection) {
  asio::io_context io;
  std::future<Answer> result =
      asio::co_spawn(io, pipeline.handle(request, connection), asio::use_future);
  io.run();
  return result.get().complete();
}

std::string header(const Response& response, std::string_view name) {
  auto it = response.find(name);
  return it == response.end() ? std::string("<absent>") : std::string(it->value());
}

bool has_header(const Response& response, std::string_view name) {
  return response.find(name) != response.end();
}

// Names of the Access-Control-* headers of a response.
std::vector<std::string> cors_headers(const Response& response) {
  std::vector<std::string> names;
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::string lower;
    for (char c : name)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("access-control-", 0) == 0) names.push_back(name);
  }
  return names;
}

json::object body_of(const Response& response) {
  json::error_code ec;
  json::value value = json::parse(response.body(), ec);
  EXPECT_FALSE(ec) << response.body();
  if (ec || !value.is_object()) return {};
  return value.as_object();
}

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return "<missing>";
  if (!value->is_string()) return "<not a string: " + json::serialize(*value) + ">";
  return std::string(value->as_string());
}

// A middleware stage that records its calls and either answers 401 itself or calls next.
class RecordingStage : public Middleware {
 public:
  RecordingStage(std::string name, std::vector<std::string>& trail, bool short_circuit)
      : name_(std::move(name)), trail_(trail), short_circuit_(short_circuit) {}

  asio::awaitable<Response> handle(RequestContext& context, const Route& route,
                                   Next next) override {
    trail_.push_back(name_ + " " + route.pattern + " id=" + std::string(context.param("id")));
    if (short_circuit_) {
      co_return error_response(
          context,
          ApiError{bhttp::status::unauthorized, "UNAUTHORIZED", "Missing credentials", {}});
    }
    Response response = co_await next(context, route);
    response.set("X-Stage-" + name_, "passed");
    co_return response;
  }

 private:
  std::string name_;
  std::vector<std::string>& trail_;
  bool short_circuit_;
};

class ThrowingStage : public Middleware {
 public:
  asio::awaitable<Response> handle(RequestContext&, const Route&, Next) override {
    throw std::runtime_error("stage exploded: token=sk_live_123");
    co_return Response{};
  }
};

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() : PipelineTest(true) {}
  explicit PipelineTest(bool access_log)
      : logger_(LogLevel::debug,
                [this](std::string_view line) {
                  std::lock_guard lock(log_mutex_);
                  log_lines_.emplace_back(line);
                }),
        pipeline_(router_, cors_, logger_, access_log) {
    auto ok = [](RequestContext&) -> asio::awaitable<Response> {
      co_return json_response(bhttp::status::ok, R"({"status":"ok"})");
    };
    router_.add(bhttp::verb::get, "/health", ok, Access::open);
    router_.add(
        bhttp::verb::get, "/echo/{id}",
        [](RequestContext& context) -> asio::awaitable<Response> {
          co_return json_response(bhttp::status::ok, std::string(context.param("id")) + "|" +
                                                         std::string(context.query) + "|" +
                                                         std::string(context.path));
        },
        Access::open);
    router_.add(bhttp::verb::get, "/items", ok);
    router_.add(bhttp::verb::post, "/items", ok);
    router_.add(
        bhttp::verb::get, "/private/{id}",
        [this](RequestContext& context) -> asio::awaitable<Response> {
          ++private_handler_calls_;
          co_return json_response(bhttp::status::ok, "private " + std::string(context.param("id")));
        },
        Access::authenticated);
    router_.add(
        bhttp::verb::get, "/boom",
        [](RequestContext&) -> asio::awaitable<Response> {
          throw std::runtime_error("database password is hunter2");
          co_return Response{};
        },
        Access::open);
    router_.add(
        bhttp::verb::get, "/boom-int",
        [](RequestContext&) -> asio::awaitable<Response> {
          throw 42;
          co_return Response{};
        },
        Access::open);
    router_.add(
        bhttp::verb::delete_, "/items/{id}",
        [](RequestContext&) -> asio::awaitable<Response> {
          Response response;
          response.result(bhttp::status::no_content);
          co_return response;
        },
        Access::open);
  }

  Response send(Request& request) { return run(pipeline_, request, connection_); }

  Response send(bhttp::verb method, std::string_view target) {
    Request request{method, target, 11};
    return send(request);
  }

  // Log lines with this event, parsed.
  std::vector<json::object> logged(std::string_view event) {
    std::lock_guard lock(log_mutex_);
    std::vector<json::object> found;
    for (const std::string& line : log_lines_) {
      json::value value = json::parse(line);
      if (value.is_object() && text(value.as_object(), "event") == event) {
        found.push_back(value.as_object());
      }
    }
    return found;
  }

  Router router_;
  CorsPolicy cors_{{"https://app.example.com"}};
  std::mutex log_mutex_;
  std::vector<std::string> log_lines_;
  Logger logger_;
  Pipeline pipeline_;
  ConnectionInfo connection_{"10.1.2.3", false};
  int private_handler_calls_ = 0;
};

class PipelineWithoutAccessLogTest : public PipelineTest {
 protected:
  PipelineWithoutAccessLogTest() : PipelineTest(false) {}
};

// ---- request ids -----------------------------------------------------------------------------

TEST_F(PipelineTest, GeneratesARequestIdWhenNoneIsGiven) {
  Response first = send(bhttp::verb::get, "/health");
  Response second = send(bhttp::verb::get, "/health");
  EXPECT_EQ(first.result(), bhttp::status::ok);
  EXPECT_TRUE(std::regex_match(header(first, "X-Request-Id"), kGeneratedId))
      << header(first, "X-Request-Id");
  EXPECT_TRUE(std::regex_match(header(second, "X-Request-Id"), kGeneratedId));
  EXPECT_NE(header(first, "X-Request-Id"), header(second, "X-Request-Id"));
}

TEST_F(PipelineTest, KeepsAWellFormedIncomingRequestId) {
  for (std::string id : {std::string("client-id_1.2:3"), std::string("A"), std::string(128, 'x')}) {
    Request request{bhttp::verb::get, "/nope", 11};
    request.set("X-Request-Id", id);
    Response response = send(request);
    EXPECT_EQ(header(response, "X-Request-Id"), id);
    EXPECT_EQ(text(body_of(response), "request_id"), id);
  }
}

TEST_F(PipelineTest, ReplacesAMalformedIncomingRequestId) {
  for (std::string id :
       {std::string("has space"), std::string(200, 'a'), std::string(129, 'b'), std::string(""),
        std::string("semi;colon"), std::string("quote\"d"), std::string("caf\xC3\xA9")}) {
    Request request{bhttp::verb::get, "/nope", 11};
    request.set("X-Request-Id", id);
    Response response = send(request);
    std::string kept = header(response, "X-Request-Id");
    EXPECT_TRUE(std::regex_match(kept, kGeneratedId)) << "for \"" << id << "\": " << kept;
    EXPECT_EQ(text(body_of(response), "request_id"), kept);
  }
}

TEST_F(PipelineTest, ErrorBodyRequestIdEqualsTheHeader) {
  Request bad_target{bhttp::verb::get, "/a b", 11};
  Request boom{bhttp::verb::get, "/boom", 11};
  Request wrong_method{bhttp::verb::put, "/items", 11};
  Request unknown{bhttp::verb::get, "/unknown", 11};
  for (Request* request : {&bad_target, &boom, &wrong_method, &unknown}) {
    Response response = send(*request);
    SCOPED_TRACE(std::string(request->target()));
    EXPECT_GE(response.result_int(), 400u);
    EXPECT_TRUE(std::regex_match(header(response, "X-Request-Id"), kGeneratedId));
    EXPECT_EQ(text(body_of(response), "request_id"), header(response, "X-Request-Id"));
  }
}

// ---- routing errors --------------------------------------------------------------------------

TEST_F(PipelineTest, UnknownPathIs404RouteNotFound) {
  Response response = send(bhttp::verb::get, "/v1/nope?x=1");
  EXPECT_EQ(response.result(), bhttp::status::not_found);
  EXPECT_EQ(header(response, "Content-Type"), "application/json");
  json::object body = body_of(response);
  EXPECT_EQ(text(body, "code"), "ROUTE_NOT_FOUND");
  EXPECT_EQ(text(body, "message"), "No route for path: /v1/nope");
  EXPECT_EQ(body.size(), 3u);
}

TEST_F(PipelineTest, WrongMethodIs405WithAllow) {
  Response response = send(bhttp::verb::delete_, "/items");
  EXPECT_EQ(response.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(header(response, "Allow"), "GET, HEAD, POST, OPTIONS");
  json::object body = body_of(response);
  EXPECT_EQ(text(body, "code"), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(text(body, "message"),
            "Method DELETE is not allowed on this path; see the Allow header");
}

TEST_F(PipelineTest, OptionsWithoutPreflightIs204WithAllow) {
  Response response = send(bhttp::verb::options, "/items");
  EXPECT_EQ(response.result(), bhttp::status::no_content);
  EXPECT_EQ(header(response, "Allow"), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(response.body(), "");
  EXPECT_FALSE(has_header(response, "Content-Length"));
  EXPECT_TRUE(cors_headers(response).empty());
}

TEST_F(PipelineTest, OptionsOnAnUnknownPathIs404) {
  Response response = send(bhttp::verb::options, "/nope");
  EXPECT_EQ(response.result(), bhttp::status::not_found);
  EXPECT_EQ(text(body_of(response), "code"), "ROUTE_NOT_FOUND");
}

TEST_F(PipelineTest, MalformedTargetsAre400BadRequest) {
  // Also each character just outside the set that is accepted without Boost.URL's parser.
  for (std::string_view target : {"/a b",
                                  "/%zz",
                                  "/%4",
                                  "nope",
                                  "*",
                                  "/a#frag",
                                  "/x\x01y",
                                  "/a\"b",
                                  "/a<b",
                                  "/a>b",
                                  "/a\\b",
                                  "/a^b",
                                  "/a`b",
                                  "/a{b",
                                  "/a|b",
                                  "/a}b",
                                  "/a[b",
                                  "/a]b",
                                  "/a\x7f"
                                  "b",
                                  "/a\xc3\xa9"}) {
    Request request{bhttp::verb::get, target, 11};
    Response response = send(request);
    EXPECT_EQ(response.result(), bhttp::status::bad_request) << target;
    json::object body = body_of(response);
    EXPECT_EQ(text(body, "code"), "BAD_REQUEST") << target;
    EXPECT_EQ(text(body, "message"), "Malformed request target") << target;
  }
}

TEST_F(PipelineTest, TargetsOfEveryPlainCharacterAreAcceptedAsTheyAre) {
  // Unreserved and sub-delims characters, ':' and '@' in the path; '/' and '?' in the query too.
  Response response = send(bhttp::verb::get, "/echo/a-._~!$&'()*+,;=:@Z9?q=/?x:@");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "a-._~!$&'()*+,;=:@Z9|q=/?x:@|/echo/a-._~!$&'()*+,;=:@Z9");
}

TEST_F(PipelineTest, EncodedSlashInAParameterIsNotFound) {
  Response response = send(bhttp::verb::get, "/echo/a%2Fb");
  EXPECT_EQ(response.result(), bhttp::status::not_found);
}

TEST_F(PipelineTest, HandlerSeesDecodedParamsEncodedPathAndQuery) {
  Response response = send(bhttp::verb::get, "/echo/a%20b?x=1&y=%20");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "a b|x=1&y=%20|/echo/a%20b");
  Response no_query = send(bhttp::verb::get, "/echo/z");
  EXPECT_EQ(no_query.body(), "z||/echo/z");
  Response empty_query = send(bhttp::verb::get, "/echo/z?");
  EXPECT_EQ(empty_query.body(), "z||/echo/z");
}

TEST_F(PipelineTest, AbsoluteFormTargetsAreReducedToPathAndQuery) {
  Response response = send(bhttp::verb::get, "http://example.com:8080/echo/a%20b?x=1");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "a b|x=1|/echo/a%20b");
  Response https = send(bhttp::verb::get, "https://example.com/echo/z");
  EXPECT_EQ(https.body(), "z||/echo/z");
  Response no_path = send(bhttp::verb::get, "http://example.com");
  EXPECT_EQ(no_path.result(), bhttp::status::not_found);  // "/" has no route here
  Response other_scheme = send(bhttp::verb::get, "ftp://example.com/echo/z");
  EXPECT_EQ(other_scheme.result(), bhttp::status::bad_request);
}

// ---- CORS ------------------------------------------------------------------------------------

Request preflight(std::string_view target, std::string_view origin) {
  Request request{bhttp::verb::options, target, 11};
  request.set(bhttp::field::origin, origin);
  request.set(bhttp::field::access_control_request_method, "POST");
  request.set(bhttp::field::access_control_request_headers, "content-type, x-api-key");
  return request;
}

TEST_F(PipelineTest, PreflightFromAnAllowedOriginGetsCorsHeadersAnd204) {
  for (std::string_view origin : {"https://app.example.com", "http://localhost:5173"}) {
    SCOPED_TRACE(origin);
    Request request = preflight("/items", origin);
    Response response = send(request);
    EXPECT_EQ(response.result(), bhttp::status::no_content);
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), origin);
    EXPECT_EQ(header(response, "Access-Control-Allow-Methods"), "GET, HEAD, POST, OPTIONS");
    EXPECT_EQ(header(response, "Access-Control-Allow-Headers"), kCorsAllowedHeaders);
    EXPECT_EQ(header(response, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(header(response, "Vary"), "Origin");
    EXPECT_EQ(cors_headers(response).size(), 4u) << "no Expose-Headers on a preflight";
    EXPECT_FALSE(has_header(response, "Content-Length"));
    EXPECT_EQ(response.body(), "");
    EXPECT_TRUE(std::regex_match(header(response, "X-Request-Id"), kGeneratedId));
  }
}

TEST_F(PipelineTest, PreflightFromADisallowedOriginGets204WithoutCorsHeaders) {
  for (std::string_view origin :
       {"https://evil.com", "https://app.example.com.evil.com", "null", "https://localhost:3000"}) {
    SCOPED_TRACE(origin);
    Request request = preflight("/items", origin);
    Response response = send(request);
    EXPECT_EQ(response.result(), bhttp::status::no_content);
    EXPECT_EQ(cors_headers(response), std::vector<std::string>{});
    EXPECT_FALSE(has_header(response, "Vary"));
    EXPECT_FALSE(has_header(response, "Content-Length"));
  }
}

TEST_F(PipelineTest, ActualRequestFromAnAllowedOriginGetsCorsHeaders) {
  Request request{bhttp::verb::get, "/health", 11};
  request.set(bhttp::field::origin, "https://app.example.com");
  Response response = send(request);
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(header(response, "Access-Control-Expose-Headers"), kCorsExposedHeaders);
  EXPECT_EQ(header(response, "Vary"), "Origin");

  // Errors carry them too, so the browser lets the page read the error body.
  Request missing{bhttp::verb::get, "/nope", 11};
  missing.set(bhttp::field::origin, "http://127.0.0.1:8080");
  Response error = send(missing);
  EXPECT_EQ(error.result(), bhttp::status::not_found);
  EXPECT_EQ(header(error, "Access-Control-Allow-Origin"), "http://127.0.0.1:8080");
}

TEST_F(PipelineTest, ActualRequestFromADisallowedOriginGetsNoCorsHeaders) {
  for (std::string_view origin : {"https://evil.com", "", "null"}) {
    Request request{bhttp::verb::get, "/health", 11};
    request.set(bhttp::field::origin, origin);
    Response response = send(request);
    EXPECT_EQ(response.result(), bhttp::status::ok);
    EXPECT_EQ(cors_headers(response), std::vector<std::string>{}) << origin;
    EXPECT_FALSE(has_header(response, "Vary")) << origin;
  }
  Response no_origin = send(bhttp::verb::get, "/health");
  EXPECT_TRUE(cors_headers(no_origin).empty());
}

TEST_F(PipelineTest, PreflightOnAnUnknownPathIs404) {
  Request request = preflight("/nope", "https://app.example.com");
  Response response = send(request);
  EXPECT_EQ(response.result(), bhttp::status::not_found);
  EXPECT_EQ(text(body_of(response), "code"), "ROUTE_NOT_FOUND");
}

// ---- failures --------------------------------------------------------------------------------

TEST_F(PipelineTest, ThrowingHandlerIs500WithoutInternalsAndIsLogged) {
  Request request{bhttp::verb::get, "/boom", 11};
  request.set("X-Request-Id", "trace-500");
  Response response = send(request);
  EXPECT_EQ(response.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(response.body().find("hunter2"), std::string::npos) << response.body();
  EXPECT_EQ(response.body().find("database"), std::string::npos) << response.body();
  json::object body = body_of(response);
  EXPECT_EQ(text(body, "code"), "INTERNAL_ERROR");
  EXPECT_EQ(text(body, "message"), errors::internal_error().message);
  EXPECT_EQ(text(body, "request_id"), "trace-500");

  std::vector<json::object> failures = logged("handler_failed");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(text(failures[0], "level"), "error");
  EXPECT_EQ(text(failures[0], "request_id"), "trace-500");
  EXPECT_EQ(text(failures[0], "path"), "/boom");
  EXPECT_EQ(text(failures[0], "error"), "database password is hunter2");
}

TEST_F(PipelineTest, HandlerThrowingANonStdExceptionIsStillA500) {
  // Pipeline::handle "never throws: a failing handler becomes a logged 500".
  Request request{bhttp::verb::get, "/boom-int", 11};
  Response response;
  try {
    response = send(request);
  } catch (...) {
    FAIL() << "Pipeline::handle let a non-std::exception escape";
  }
  EXPECT_EQ(response.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(text(body_of(response), "code"), "INTERNAL_ERROR");
  EXPECT_EQ(logged("handler_failed").size(), 1u);
}

TEST_F(PipelineTest, ThrowingMiddlewareIs500AndLogged) {
  pipeline_.add(std::make_unique<ThrowingStage>());
  Response response = send(bhttp::verb::get, "/private/p1");
  EXPECT_EQ(response.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(response.body().find("sk_live_123"), std::string::npos);
  std::vector<json::object> failures = logged("handler_failed");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(text(failures[0], "error"), "stage exploded: token=sk_live_123");
  EXPECT_EQ(text(failures[0], "request_id"), header(response, "X-Request-Id"));
  EXPECT_EQ(private_handler_calls_, 0);
}

// ---- middleware ------------------------------------------------------------------------------

TEST_F(PipelineTest, AuthenticatedRouteWithoutStagesRunsTheHandler) {
  Response response = send(bhttp::verb::get, "/private/p1");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "private p1");
  EXPECT_EQ(private_handler_calls_, 1);
}

TEST_F(PipelineTest, StagesRunInOrderForAuthenticatedRoutesAndCallNext) {
  std::vector<std::string> trail;
  pipeline_.add(std::make_unique<RecordingStage>("A", trail, false));
  pipeline_.add(std::make_unique<RecordingStage>("B", trail, false));
  Response response = send(bhttp::verb::get, "/private/p7");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  EXPECT_EQ(response.body(), "private p7");
  EXPECT_EQ(trail, (std::vector<std::string>{"A /private/{id} id=p7", "B /private/{id} id=p7"}));
  EXPECT_EQ(header(response, "X-Stage-A"), "passed");
  EXPECT_EQ(header(response, "X-Stage-B"), "passed");
  EXPECT_EQ(private_handler_calls_, 1);
}

TEST_F(PipelineTest, StageCanAnswerItselfAndTheRestDoNotRun) {
  std::vector<std::string> trail;
  pipeline_.add(std::make_unique<RecordingStage>("auth", trail, true));
  pipeline_.add(std::make_unique<RecordingStage>("later", trail, false));
  Request request{bhttp::verb::get, "/private/p1", 11};
  request.set(bhttp::field::origin, "https://app.example.com");
  Response response = send(request);
  EXPECT_EQ(response.result(), bhttp::status::unauthorized);
  json::object body = body_of(response);
  EXPECT_EQ(text(body, "code"), "UNAUTHORIZED");
  EXPECT_EQ(text(body, "request_id"), header(response, "X-Request-Id"));
  EXPECT_EQ(trail, std::vector<std::string>{"auth /private/{id} id=p1"});
  EXPECT_EQ(private_handler_calls_, 0);
  // The common headers are added to a stage's own answer as well.
  EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "https://app.example.com");
  EXPECT_EQ(header(response, "Server"), "seoagents");
  EXPECT_EQ(header(response, "Content-Length"), std::to_string(response.body().size()));
}

TEST_F(PipelineTest, StagesDoNotRunForOpenRoutesErrorsOrPreflights) {
  std::vector<std::string> trail;
  pipeline_.add(std::make_unique<RecordingStage>("auth", trail, true));
  EXPECT_EQ(send(bhttp::verb::get, "/health").result(), bhttp::status::ok);
  EXPECT_EQ(send(bhttp::verb::get, "/echo/x").result(), bhttp::status::ok);
  EXPECT_EQ(send(bhttp::verb::get, "/nope").result(), bhttp::status::not_found);
  EXPECT_EQ(send(bhttp::verb::put, "/items").result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(send(bhttp::verb::options, "/items").result(), bhttp::status::no_content);
  Request request = preflight("/private/p1", "https://app.example.com");
  EXPECT_EQ(send(request).result(), bhttp::status::no_content);
  EXPECT_TRUE(trail.empty()) << trail.front();
  // And it does run for an authenticated one.
  EXPECT_EQ(send(bhttp::verb::get, "/items").result(), bhttp::status::unauthorized);
  EXPECT_EQ(trail.size(), 1u);
}

// ---- common headers --------------------------------------------------------------------------

TEST_F(PipelineTest, EveryResponseHasServerDateRequestIdAndContentLength) {
  Request ok{bhttp::verb::get, "/health", 11};
  Request missing{bhttp::verb::get, "/nope", 11};
  Request boom{bhttp::verb::get, "/boom", 11};
  const std::regex date(R"(^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$)");
  for (Request* request : {&ok, &missing, &boom}) {
    SCOPED_TRACE(std::string(request->target()));
    Response response = send(*request);
    EXPECT_EQ(header(response, "Server"), "seoagents");
    EXPECT_TRUE(std::regex_match(header(response, "Date"), date)) << header(response, "Date");
    EXPECT_TRUE(has_header(response, "X-Request-Id"));
    EXPECT_FALSE(response.body().empty());
    EXPECT_EQ(header(response, "Content-Length"), std::to_string(response.body().size()));
    EXPECT_EQ(response.version(), 11u);
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST_F(PipelineTest, HeadGetsTheGetRoutesHeadersAndLength) {
  Response get = send(bhttp::verb::get, "/health");
  Response head = send(bhttp::verb::head, "/health");
  EXPECT_EQ(head.result(), bhttp::status::ok);
  EXPECT_EQ(header(head, "Content-Length"), header(get, "Content-Length"));
  EXPECT_EQ(header(head, "Content-Type"), "application/json");
}

TEST_F(PipelineTest, HandlerNoContentHasNoContentLength) {
  Response response = send(bhttp::verb::delete_, "/items/i1");
  EXPECT_EQ(response.result(), bhttp::status::no_content);
  EXPECT_FALSE(has_header(response, "Content-Length"));
  EXPECT_TRUE(has_header(response, "X-Request-Id"));
}

TEST_F(PipelineTest, Http10AndConnectionCloseAreMirrored) {
  Request old{bhttp::verb::get, "/health", 10};
  Response response = send(old);
  EXPECT_EQ(response.version(), 10u);
  EXPECT_FALSE(response.keep_alive());

  Request closing{bhttp::verb::get, "/health", 11};
  closing.set(bhttp::field::connection, "close");
  EXPECT_FALSE(send(closing).keep_alive());
}

// ---- access log ------------------------------------------------------------------------------

TEST_F(PipelineTest, AccessLogLinePerRequest) {
  Request request{bhttp::verb::get, "/echo/a%20b?q=1", 11};
  request.set("X-Request-Id", "trace-1");
  Response ok = send(request);
  Response missing = send(bhttp::verb::post, "/nope");

  std::vector<json::object> lines = logged("request");
  ASSERT_EQ(lines.size(), 2u);
  const json::object& first = lines[0];
  EXPECT_EQ(text(first, "level"), "info");
  EXPECT_EQ(text(first, "request_id"), "trace-1");
  EXPECT_EQ(text(first, "method"), "GET");
  EXPECT_EQ(text(first, "path"), "/echo/a%20b");
  ASSERT_TRUE(first.at("status").is_number());
  EXPECT_EQ(first.at("status").to_number<std::int64_t>(), 200);
  ASSERT_TRUE(first.at("bytes").is_number());
  EXPECT_EQ(first.at("bytes").to_number<std::uint64_t>(), ok.body().size());
  ASSERT_TRUE(first.at("us").is_int64());
  EXPECT_GE(first.at("us").as_int64(), 0);
  EXPECT_EQ(text(first, "remote"), "10.1.2.3");

  const json::object& second = lines[1];
  EXPECT_EQ(text(second, "method"), "POST");
  EXPECT_EQ(text(second, "path"), "/nope");
  EXPECT_EQ(second.at("status").to_number<std::int64_t>(), 404);
  EXPECT_EQ(second.at("bytes").to_number<std::uint64_t>(), missing.body().size());
  EXPECT_EQ(text(second, "request_id"), header(missing, "X-Request-Id"));
}

TEST_F(PipelineWithoutAccessLogTest, NoAccessLogLinesWhenDisabled) {
  EXPECT_EQ(send(bhttp::verb::get, "/health").result(), bhttp::status::ok);
  EXPECT_EQ(send(bhttp::verb::get, "/nope").result(), bhttp::status::not_found);
  EXPECT_TRUE(logged("request").empty());
  // Failures are still logged.
  EXPECT_EQ(send(bhttp::verb::get, "/boom").result(), bhttp::status::internal_server_error);
  EXPECT_EQ(logged("handler_failed").size(), 1u);
}

// ---- reject ----------------------------------------------------------------------------------

TEST_F(PipelineTest, RejectWithoutARequestClosesTheConnection) {
  Response response = pipeline_.reject(errors::headers_too_large(8192), nullptr, connection_);
  EXPECT_EQ(response.result(), bhttp::status::request_header_fields_too_large);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(std::regex_match(header(response, "X-Request-Id"), kGeneratedId));
  json::object body = body_of(response);
  EXPECT_EQ(text(body, "code"), "HEADERS_TOO_LARGE");
  EXPECT_EQ(text(body, "request_id"), header(response, "X-Request-Id"));
  EXPECT_EQ(header(response, "Server"), "seoagents");
  EXPECT_EQ(header(response, "Content-Length"), std::to_string(response.body().size()));
  std::vector<json::object> lines = logged("request");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("status").to_number<std::int64_t>(), 431);
}

TEST_F(PipelineTest, RejectWithParsedHeadersKeepsTheIdAndCors) {
  Request request{bhttp::verb::post, "/items?x=1", 11};
  request.set("X-Request-Id", "client-413");
  request.set(bhttp::field::origin, "https://app.example.com");
  Response response = pipeline_.reject(errors::payload_too_large(1024), &request, connection_);
  EXPECT_EQ(response.result(), bhttp::status::payload_too_large);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(header(response, "X-Request-Id"), "client-413");
  EXPECT_EQ(text(body_of(response), "request_id"), "client-413");
  EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "https://app.example.com");
  std::vector<json::object> lines = logged("request");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(text(lines[0], "path"), "/items");
  EXPECT_EQ(text(lines[0], "method"), "POST");
}

}  // namespace
}  // namespace seoagents::http
