// Time formatting for the API (RFC 3339) and for the HTTP Date header.
#include "core/clock.hpp"

#include <cstdio>
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

std::string format_rfc3339_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  // Milliseconds, not a nanosecond time_point: int64 nanoseconds end in 2262.
  milliseconds ms{unix_ms};
  auto day = floor<days>(ms);
  year_month_day date{sys_days(day)};
  hh_mm_ss clock{ms - day};
  int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    char text[48];
    std::snprintf(
        text, sizeof text, "%d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return text;
  }
  // The common case, digit by digit: this runs for every timestamp of every response.
  std::string text = "0000-00-00T00:00:00.000Z";
  auto put = [&text](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      text[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(year), 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(8, static_cast<unsigned>(date.day()), 2);
  put(11, static_cast<unsigned>(clock.hours().count()), 2);
  put(14, static_cast<unsigned>(clock.minutes().count()), 2);
  put(17, static_cast<unsigned>(clock.seconds().count()), 2);
  put(20, static_cast<unsigned>(clock.subseconds().count()), 3);
  return text;
}

std::string format_rfc3339_ms(SystemTime time) {
  // floor, not truncation: an instant before 1970 must not print as a later one.
  return format_rfc3339_ms(
      std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count());
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
