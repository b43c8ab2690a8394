// Time formatting for the API (RFC 3339) and for the HTTP Date header.
#include "core/clock.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace seoagents {
namespace {

std::tm utc_breakdown(std::time_t seconds) {
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return parts;
}

// Reads exactly `width` digits at `at`; nullopt if any is not a digit or the text is short.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t width) {
  if (at + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// The offset at the end of a date-time ("Z", "+hh:mm", "-hh:mm") in minutes east of UTC.
std::optional<int> utc_offset_minutes(std::string_view rest) {
  if (rest == "Z" || rest == "z") return 0;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return std::nullopt;
  auto hours = digits(rest, 1, 2);
  auto minutes = digits(rest, 4, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  int offset = *hours * 60 + *minutes;
  return rest[0] == '-' ? -offset : offset;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text) {
  using namespace std::chrono;
  // "YYYY-MM-DDThh:mm:ss" is 19 characters; the separators are fixed.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) {
    return std::nullopt;
  }
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                      std::chrono::day{static_cast<unsigned>(*day)}};
  // A leap second (":60") is read as the last second of its minute.
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::size_t at = 19;
  std::int64_t millis = 0;
  if (text[at] == '.') {
    std::size_t first = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - first < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == first) return std::nullopt;
    for (std::size_t width = at - first; width < 3; ++width)
      millis *= 10;
  }
  auto offset = utc_offset_minutes(text.substr(at));
  if (!offset) return std::nullopt;
  auto seconds_of_day = *hour * 3600 + *minute * 60 + std::min(*second, 59);
  std::int64_t day_ms = duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count();
  return day_ms + std::int64_t{seconds_of_day} * 1000 + millis - std::int64_t{*offset} * 60'000;
}

std::int64_t unix_seconds(SystemTime time) {
  return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::size_t write_rfc3339_ms(std::int64_t unix_ms, char* out) {
  using namespace std::chrono;
  // Milliseconds, not a nanosecond time_point: int64 nanoseconds end in 2262.
  milliseconds ms{unix_ms};
  auto day = floor<days>(ms);
  year_month_day date{sys_days(day)};
  hh_mm_ss clock{ms - day};
  int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    int written = std::snprintf(
        out, kRfc3339MaxLength + 1, "%d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return static_cast<std::size_t>(std::min(written, static_cast<int>(kRfc3339MaxLength)));
  }
  // The common case, digit by digit: this runs for every timestamp of every response.
  constexpr std::string_view kPattern = "0000-00-00T00:00:00.000Z";
  std::copy(kPattern.begin(), kPattern.end(), out);
  auto put = [out](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
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
  return kPattern.size();
}

std::string format_rfc3339_ms(std::int64_t unix_ms) {
  char text[kRfc3339MaxLength + 1];
  return std::string(text, write_rfc3339_ms(unix_ms, text));
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
