// The wire format around a request: the framing checks the server adds to Beast's parser, and
// the serialisation of a response into one contiguous buffer (status line, header fields, blank
// line and body), so each response goes out in a single write without Beast's scatter-buffer
// machinery.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/answer.hpp"
#include "http/api_error.hpp"
#include "http/types.hpp"

namespace seoagents::http {

// Framing the server does not accept, beyond what the parser itself rejects (RFC 9112 3.2,
// 6.1, 6.3): a Host header missing from HTTP/1.1 or repeated, a Content-Length list,
// Transfer-Encoding in HTTP/1.0 or beside Content-Length, a coding other than chunked, an
// Expect other than 100-continue. Each could make a proxy in front of the server and the server
// disagree on where a request ends or whom it is for. Checked once the header is parsed.
std::optional<ApiError> check_framing(const Request& request);

// True when the header block (up to its blank line) continues a field on the next line
// (obs-fold: CRLF then a space or tab). The parser would unfold it; it is refused instead, as a
// proxy in front may read the folded line differently.
bool has_obs_fold(std::string_view bytes);

// Replaces `out` with the bytes of `answer`: its standard headers, then the response's own
// fields. With `head_only`, the body is left out (HEAD), while Content-Length still says how long
// it would be.
void serialize_response(const Answer& answer, bool head_only, std::string& out);

// The same for a response whose headers are all fields.
void serialize_response(const Response& response, bool head_only, std::string& out);

}  // namespace seoagents::http
