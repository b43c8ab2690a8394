// The error envelope of the API: {"message","code","request_id"} plus "details" for validation.
// Every error the server produces, from a handler or from the protocol layer, is one of these.
#pragma once

#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::http {

// One problem with one field of a request, for VALIDATION_ERROR.
struct FieldIssue {
  std::string field;
  std::string issue;
};

struct ApiError {
  boost::beast::http::status status;
  // Machine-readable, e.g. "RESOURCE_NOT_FOUND".
  std::string code;
  // For people; never holds internals (SQL, stack traces, secrets).
  std::string message;
  std::vector<FieldIssue> details;
};

// The JSON body of an error response.
std::string render_error_body(const ApiError& error, std::string_view request_id);

// The errors the HTTP layer itself produces.
namespace errors {
ApiError route_not_found(std::string_view path);
ApiError method_not_allowed(std::string_view method);
ApiError headers_too_large(std::size_t limit);
ApiError payload_too_large(std::size_t limit);
ApiError bad_request(std::string_view why);
ApiError unsupported_transfer_encoding();
ApiError expectation_failed();
ApiError service_unavailable(std::string_view why);
ApiError internal_error();
}  // namespace errors

}  // namespace seoagents::http
