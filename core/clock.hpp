// Wall-clock time as the API and HTTP show it: RFC 3339 UTC with milliseconds (and read back
// from query parameters), and the HTTP Date header (formatted at most once a second per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seoagents {

using SystemTime = std::chrono::system_clock::time_point;

// "2026-02-26T10:30:00.123Z"
std::string format_rfc3339_ms(SystemTime time);

// The same for milliseconds since the Unix epoch (how the store keeps times).
std::string format_rfc3339_ms(std::int64_t unix_ms);

// The longest text format_rfc3339_ms makes (a year far outside 0–9999).
inline constexpr std::size_t kRfc3339MaxLength = 40;
// Writes that text to `out` (room for kRfc3339MaxLength + 1 characters; not terminated) and
// returns its length: no allocation, for JSON written in a loop.
std::size_t write_rfc3339_ms(std::int64_t unix_ms, char* out);

// Milliseconds since the Unix epoch of an RFC 3339 date-time: "2026-02-26T10:30:00Z",
// "2026-02-26T10:30:00.123+02:00" (any number of fraction digits; beyond milliseconds they are
// dropped). nullopt when the text is not one, or names an impossible date or time.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

// Seconds since the Unix epoch.
std::int64_t unix_seconds(SystemTime time);

// "Thu, 26 Feb 2026 10:30:00 GMT" for now; the view stays valid until this thread's next call.
std::string_view http_date_now();

}  // namespace seoagents
