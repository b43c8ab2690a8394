// Time formatting for the API (RFC 3339) and for the HTTP Date header.
#include "core/clock.hpp"

#include <ctime>

namespace seoagents {
namespace {

std::tm utc_breakdown(std::time_t seconds) {
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts;
}

}  // namespace

std::int64_t unix_seconds(SystemTime time) {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::string format_rfc3339_ms(SystemTime time) {
  // floor, not truncation: an instant before 1970 must not print as a later one.
  auto ms = std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
  auto seconds = ms / 1000;
  auto millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  std::tm parts = utc_breakdown(static_cast<std::time_t>(seconds));
  char text[32];
  std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
  return text;
}

std::string format_rfc3339_ms(std::int64_t unix_ms) {
  return format_rfc3339_ms(SystemTime(std::chrono::milliseconds(unix_ms)));
}

std::string_view http_date_now() {
  // Each loop thread formats the header once a second: a per-thread cache needs no lock, and
  // the Date header is on every response.
  thread_local std::time_t cached_second = -1;
  thread_local char cached_text[40];
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm parts = utc_breakdown(now);
    std::strftime(cached_text, sizeof cached_text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    cached_second = now;
  }
  return cached_text;
}

}  // namespace seoagents
