// Serialises a response into one contiguous buffer: status line, header fields, blank line and
// body, so each response goes out in a single write without Beast's scatter-buffer machinery.
#pragma once

#include <string>

#include "http/types.hpp"

namespace seoagents::http {

// Replaces `out` with the bytes of `response`; with `head_only`, the body is left out (HEAD),
// while Content-Length still says how long it would be.
void serialize_response(const Response& response, bool head_only, std::string& out);

}  // namespace seoagents::http
