// Rendering of the error envelope and the HTTP layer's own errors.
#include "http/api_error.hpp"

#include <algorithm>

#include "core/json_writer.hpp"

namespace seoagents::http {

using boost::beast::http::status;

namespace {
// A body of 100,000 unknown members must not get a 100,000-entry answer.
constexpr std::size_t kMaxDetails = 50;
}  // namespace

std::string render_error_body(const ApiError& error, std::string_view request_id) {
  std::string body;
  body.reserve(128 + error.message.size());
  JsonWriter json(body);
  json.begin_object()
      .member("message", error.message)
      .member("code", error.code)
      .member("request_id", request_id);
  if (!error.details.empty()) {
    json.key("details").begin_array();
    std::size_t shown = std::min(error.details.size(), kMaxDetails);
    for (std::size_t i = 0; i < shown; ++i) {
      const FieldIssue& issue = error.details[i];
      json.begin_object().member("field", issue.field).member("issue", issue.issue).end_object();
    }
    json.end_array();
    if (shown < error.details.size()) {
      json.member("details_omitted", static_cast<std::uint64_t>(error.details.size() - shown));
    }
  }
  json.end_object();
  return body;
}

namespace errors {

ApiError route_not_found(std::string_view path) {
  return {status::not_found, "ROUTE_NOT_FOUND", "No route for path: " + std::string(path), {}};
}

ApiError method_not_allowed(std::string_view method) {
  return {status::method_not_allowed,
          "METHOD_NOT_ALLOWED",
          "Method " + std::string(method) + " is not allowed on this path; see the Allow header",
          {}};
}

ApiError headers_too_large(std::size_t limit) {
  return {status::request_header_fields_too_large,
          "HEADERS_TOO_LARGE",
          "Request line and headers exceed " + std::to_string(limit) + " bytes",
          {}};
}

ApiError payload_too_large(std::size_t limit) {
  return {status::payload_too_large,
          "PAYLOAD_TOO_LARGE",
          "Request body exceeds " + std::to_string(limit) + " bytes",
          {}};
}

ApiError bad_request(std::string_view why) {
  return {status::bad_request, "BAD_REQUEST", std::string(why), {}};
}

ApiError unsupported_transfer_encoding() {
  return {status::not_implemented,
          "UNSUPPORTED_TRANSFER_ENCODING",
          "Only Transfer-Encoding: chunked is supported",
          {}};
}

ApiError expectation_failed() {
  return {status::expectation_failed,
          "EXPECTATION_FAILED",
          "Only Expect: 100-continue is supported",
          {}};
}

ApiError service_unavailable(std::string_view why) {
  return {status::service_unavailable, "SERVICE_UNAVAILABLE", std::string(why), {}};
}

ApiError internal_error() {
  return {status::internal_server_error,
          "INTERNAL_ERROR",
          "The server failed to handle the request; retry with backoff and quote the request_id "
          "if it persists",
          {}};
}

}  // namespace errors
}  // namespace seoagents::http
