// Tests of the error envelope rendering and of the HTTP layer's error factories.
#include "http/api_error.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>

namespace seoagents::http {
namespace {

namespace json = boost::json;
using bhttp_status = boost::beast::http::status;

std::vector<std::string> keys_of(const json::object& object) {
  std::vector<std::string> keys;
  for (const auto& member : object)
    keys.emplace_back(member.key());
  return keys;
}

TEST(RenderErrorBody, IsExactlyMessageCodeAndRequestId) {
  ApiError error{bhttp_status::not_found, "RESOURCE_NOT_FOUND", "Agent not found: agent-1", {}};
  EXPECT_EQ(render_error_body(error, "req-1a2b3c4d-5e6f-7a8b-9c0d"),
            R"({"message":"Agent not found: agent-1","code":"RESOURCE_NOT_FOUND",)"
            R"("request_id":"req-1a2b3c4d-5e6f-7a8b-9c0d"})");
}

TEST(RenderErrorBody, AddsDetailsOnlyWhenThereAreSome) {
  ApiError error{bhttp_status::unprocessable_entity,
                 "VALIDATION_ERROR",
                 "Invalid request body",
                 {{"name", "required"}, {"url", "not an absolute URL"}}};
  EXPECT_EQ(render_error_body(error, "req-x"),
            R"({"message":"Invalid request body","code":"VALIDATION_ERROR","request_id":"req-x",)"
            R"("details":[{"field":"name","issue":"required"},)"
            R"({"field":"url","issue":"not an absolute URL"}]})");

  error.details.clear();
  json::object without = json::parse(render_error_body(error, "req-x")).as_object();
  EXPECT_EQ(keys_of(without), (std::vector<std::string>{"message", "code", "request_id"}));
}

TEST(RenderErrorBody, ListsFiftyDetailsAndCountsTheRest) {
  ApiError error{bhttp_status::bad_request, "VALIDATION_ERROR", "Invalid request body", {}};
  for (int i = 0; i < 120; ++i)
    error.details.push_back({"m" + std::to_string(i), "is not a field of this request"});
  json::object body = json::parse(render_error_body(error, "req-x")).as_object();
  const json::array& details = body.at("details").as_array();
  ASSERT_EQ(details.size(), 50u);
  EXPECT_EQ(details.back().as_object().at("field").as_string(), "m49");
  EXPECT_EQ(body.at("details_omitted").as_int64(), 70);

  error.details.resize(50);
  body = json::parse(render_error_body(error, "req-x")).as_object();
  EXPECT_EQ(body.at("details").as_array().size(), 50u);
  EXPECT_FALSE(body.contains("details_omitted"));
}

TEST(RenderErrorBody, EscapesEveryString) {
  ApiError error{bhttp_status::bad_request,
                 "BAD\"CODE",
                 "quote \" backslash \\ newline \n tab \t bad \xFF",
                 {{"field \"f\"", "issue\nline"}}};
  std::string body = render_error_body(error, "id \"x\"");
  EXPECT_EQ(body.find('\n'), std::string::npos) << body;
  json::error_code ec;
  json::value value = json::parse(body, ec);
  ASSERT_FALSE(ec) << body;
  const json::object& object = value.as_object();
  EXPECT_EQ(object.at("message").as_string(),
            "quote \" backslash \\ newline \n tab \t bad \xEF\xBF\xBD");
  EXPECT_EQ(object.at("code").as_string(), "BAD\"CODE");
  EXPECT_EQ(object.at("request_id").as_string(), "id \"x\"");
  const json::object& detail = object.at("details").as_array().at(0).as_object();
  EXPECT_EQ(detail.at("field").as_string(), "field \"f\"");
  EXPECT_EQ(detail.at("issue").as_string(), "issue\nline");
  EXPECT_EQ(keys_of(detail), (std::vector<std::string>{"field", "issue"}));
}

struct FactoryCase {
  std::string name;
  std::function<ApiError()> make;
  bhttp_status status;
  unsigned status_code;
  std::string code;
  std::string message;
};

TEST(ErrorFactories, HaveTheDocumentedStatusCodeAndMessage) {
  const std::vector<FactoryCase> cases = {
      {"route_not_found", [] { return errors::route_not_found("/v1/nope"); },
       bhttp_status::not_found, 404, "ROUTE_NOT_FOUND", "No route for path: /v1/nope"},
      {"method_not_allowed", [] { return errors::method_not_allowed("DELETE"); },
       bhttp_status::method_not_allowed, 405, "METHOD_NOT_ALLOWED",
       "Method DELETE is not allowed on this path; see the Allow header"},
      {"headers_too_large", [] { return errors::headers_too_large(8192); },
       bhttp_status::request_header_fields_too_large, 431, "HEADERS_TOO_LARGE",
       "Request line and headers exceed 8192 bytes"},
      {"payload_too_large", [] { return errors::payload_too_large(1048576); },
       bhttp_status::payload_too_large, 413, "PAYLOAD_TOO_LARGE",
       "Request body exceeds 1048576 bytes"},
      {"bad_request", [] { return errors::bad_request("Malformed request target"); },
       bhttp_status::bad_request, 400, "BAD_REQUEST", "Malformed request target"},
      {"unsupported_transfer_encoding", [] { return errors::unsupported_transfer_encoding(); },
       bhttp_status::not_implemented, 501, "UNSUPPORTED_TRANSFER_ENCODING",
       "Only Transfer-Encoding: chunked is supported"},
      {"expectation_failed", [] { return errors::expectation_failed(); },
       bhttp_status::expectation_failed, 417, "EXPECTATION_FAILED",
       "Only Expect: 100-continue is supported"},
      {"service_unavailable", [] { return errors::service_unavailable("Too many connections"); },
       bhttp_status::service_unavailable, 503, "SERVICE_UNAVAILABLE", "Too many connections"},
      {"internal_error", [] { return errors::internal_error(); },
       bhttp_status::internal_server_error, 500, "INTERNAL_ERROR",
       "The server failed to handle the request; retry with backoff and quote the request_id if "
       "it persists"},
  };
  for (const FactoryCase& c : cases) {
    SCOPED_TRACE(c.name);
    ApiError error = c.make();
    EXPECT_EQ(error.status, c.status);
    EXPECT_EQ(static_cast<unsigned>(error.status), c.status_code);
    EXPECT_EQ(error.code, c.code);
    EXPECT_EQ(error.message, c.message);
    EXPECT_TRUE(error.details.empty());

    json::object body = json::parse(render_error_body(error, "req-t")).as_object();
    EXPECT_EQ(keys_of(body), (std::vector<std::string>{"message", "code", "request_id"}));
    EXPECT_EQ(body.at("code").as_string(), c.code);
    EXPECT_EQ(body.at("request_id").as_string(), "req-t");
  }
}

TEST(ErrorFactories, InternalErrorMessageHoldsNoInternals) {
  // The message is fixed: nothing about the failure can leak into it.
  ApiError first = errors::internal_error();
  ApiError second = errors::internal_error();
  EXPECT_EQ(first.message, second.message);
  for (std::string_view word : {"exception", "what()", "SQL", "sqlite", "stack", "std::", "errno",
                                "/work", ".cpp", "line "}) {
    EXPECT_EQ(first.message.find(word), std::string::npos) << word;
  }
}

TEST(ErrorFactories, RouteNotFoundPathIsEscapedInTheBody) {
  ApiError error = errors::route_not_found("/a\"b\\c");
  std::string body = render_error_body(error, "req-1");
  EXPECT_EQ(json::parse(body).as_object().at("message").as_string(), "No route for path: /a\"b\\c");
}

}  // namespace
}  // namespace seoagents::http
