// Wall-clock time as the API and HTTP show it: RFC 3339 UTC with milliseconds, and the HTTP
// Date header (formatted at most once a second per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace seoagents {

using SystemTime = std::chrono::system_clock::time_point;

// "2026-02-26T10:30:00.123Z"
std::string format_rfc3339_ms(SystemTime time);

// The same for milliseconds since the Unix epoch (how the store keeps times).
std::string format_rfc3339_ms(std::int64_t unix_ms);

// Seconds since the Unix epoch.
std::int64_t unix_seconds(SystemTime time);

// "Thu, 26 Feb 2026 10:30:00 GMT" for now; the view stays valid until this thread's next call.
std::string_view http_date_now();

}  // namespace seoagents
