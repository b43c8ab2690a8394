// Tests of time formatting: RFC 3339 with milliseconds, the HTTP Date header and Unix seconds.
#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <regex>
#include <thread>

namespace seoagents {
namespace {

using namespace std::chrono_literals;

SystemTime at(std::chrono::system_clock::duration since_epoch) {
  return SystemTime(since_epoch);
}

TEST(Clock, EpochIsFormattedWithZeroMilliseconds) {
  EXPECT_EQ(format_rfc3339_ms(at(0s)), "1970-01-01T00:00:00.000Z");
}

TEST(Clock, KnownInstantWithMilliseconds) {
  // 2026-02-26T10:30:00Z is 1772101800 s after the epoch.
  EXPECT_EQ(format_rfc3339_ms(at(1772101800s + 123ms)), "2026-02-26T10:30:00.123Z");
  EXPECT_EQ(format_rfc3339_ms(at(1772101800s + 7ms)), "2026-02-26T10:30:00.007Z");
  EXPECT_EQ(format_rfc3339_ms(at(1772101800s + 999ms)), "2026-02-26T10:30:00.999Z");
  // A leap day and the last millisecond of a year.
  EXPECT_EQ(format_rfc3339_ms(at(951782400s + 42ms)), "2000-02-29T00:00:00.042Z");
  EXPECT_EQ(format_rfc3339_ms(at(1704067199s + 999ms)), "2023-12-31T23:59:59.999Z");
}

TEST(Clock, SubMillisecondPartIsTruncatedNotRounded) {
  EXPECT_EQ(format_rfc3339_ms(at(1772101800s + 123ms + 999us)), "2026-02-26T10:30:00.123Z");
  EXPECT_EQ(format_rfc3339_ms(at(1772101800s + 999ms + 999999ns)), "2026-02-26T10:30:00.999Z");
}

TEST(Clock, PreEpochInstantsBorrowFromTheSeconds) {
  EXPECT_EQ(format_rfc3339_ms(at(-1ms)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(at(-1500ms)), "1969-12-31T23:59:58.500Z");
  EXPECT_EQ(format_rfc3339_ms(at(-1s)), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(format_rfc3339_ms(at(-86400s)), "1969-12-31T00:00:00.000Z");
  // 1900-01-01T00:00:00.250Z
  EXPECT_EQ(format_rfc3339_ms(at(-2208988800s + 250ms)), "1900-01-01T00:00:00.250Z");
}

TEST(Clock, YearsOutsideFourDigitsArePrintedInFull) {
  EXPECT_EQ(format_rfc3339_ms(std::int64_t{253402300799999}), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(std::int64_t{253402300800000}), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(std::int64_t{-62135596800000}), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(std::int64_t{-62167219200001}), "-1-12-31T23:59:59.999Z");
}

TEST(Clock, PreEpochSubMillisecondInstantsRoundDownLikeLaterOnes) {
  // 1 µs before the epoch is in the millisecond 23:59:59.999, not at the epoch itself: the
  // formatted time must never be later than the instant (as it is not for positive times).
  EXPECT_EQ(format_rfc3339_ms(at(-1us)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339_ms(at(-1500us)), "1969-12-31T23:59:59.998Z");
}

TEST(Clock, UnixSeconds) {
  EXPECT_EQ(unix_seconds(at(0s)), 0);
  EXPECT_EQ(unix_seconds(at(1772101800s + 999ms)), 1772101800);
  EXPECT_EQ(unix_seconds(at(-86400s)), -86400);
  EXPECT_EQ(unix_seconds(SystemTime(std::chrono::seconds(4102444800))), 4102444800);  // 2100
}

TEST(Clock, UnixSecondsOfPreEpochFractionsAgreeWithTheFormattedSecond) {
  // -0.5 s is 1969-12-31T23:59:59.500Z: Unix second -1, as format_rfc3339_ms shows it.
  EXPECT_EQ(format_rfc3339_ms(at(-500ms)), "1969-12-31T23:59:59.500Z");
  EXPECT_EQ(unix_seconds(at(-500ms)), -1);
}

TEST(Clock, UnixSecondsOfNowMatchesTime) {
  std::time_t before = std::time(nullptr);
  std::int64_t now = unix_seconds(std::chrono::system_clock::now());
  std::time_t after = std::time(nullptr);
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

TEST(Clock, FormatOfNowMatchesTheRfc3339Shape) {
  std::string text = format_rfc3339_ms(std::chrono::system_clock::now());
  EXPECT_TRUE(
      std::regex_match(text, std::regex(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)")))
      << text;
}

// Parses an HTTP date back into Unix seconds, and reformats it, to check the weekday.
std::time_t parse_http_date(const std::string& text, std::string& reformatted) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  EXPECT_NE(end, nullptr) << text;
  if (end == nullptr) return 0;
  EXPECT_EQ(*end, '\0') << text;
  std::time_t seconds = timegm(&parts);
  std::tm again{};
  gmtime_r(&seconds, &again);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &again);
  reformatted = buffer;
  return seconds;
}

TEST(Clock, HttpDateNowHasTheImfFixdateShapeAndIsNow) {
  std::time_t before = std::time(nullptr);
  std::string text(http_date_now());
  std::time_t after = std::time(nullptr);
  EXPECT_TRUE(std::regex_match(
      text, std::regex(R"(^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$)")))
      << text;
  std::string reformatted;
  std::time_t parsed = parse_http_date(text, reformatted);
  EXPECT_EQ(reformatted, text) << "weekday and fields agree";
  EXPECT_GE(parsed, before);
  EXPECT_LE(parsed, after);
}

TEST(Clock, HttpDateNowOnAnotherThreadIsItsOwnValidValue) {
  std::string here(http_date_now());
  std::string there;
  std::thread([&] { there = std::string(http_date_now()); }).join();
  std::regex shape(R"(^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$)");
  EXPECT_TRUE(std::regex_match(here, shape)) << here;
  EXPECT_TRUE(std::regex_match(there, shape)) << there;
  std::string ignored;
  EXPECT_LE(parse_http_date(here, ignored), parse_http_date(there, ignored));
}

}  // namespace
}  // namespace seoagents

TEST(ParseRfc3339, UtcWithAndWithoutFraction) {
  EXPECT_EQ(seoagents::parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T10:30:00Z"), 1772101800000);
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T10:30:00.5Z"), 1772101800500);
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T10:30:00.123Z"), 1772101800123);
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T10:30:00.123999Z"), 1772101800123);
}

TEST(ParseRfc3339, OffsetsAreConvertedToUtc) {
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T12:30:00+02:00"), 1772101800000);
  EXPECT_EQ(seoagents::parse_rfc3339_ms("2026-02-26T05:00:00-05:30"), 1772101800000);
}

TEST(ParseRfc3339, RoundTripsWhatTheServerFormats) {
  std::int64_t instant = 1772101800123;
  EXPECT_EQ(seoagents::parse_rfc3339_ms(seoagents::format_rfc3339_ms(instant)), instant);
}

TEST(ParseRfc3339, RefusesMalformedAndImpossibleValues) {
  for (const char* text :
       {"", "2026-02-26", "2026-02-26T10:30:00", "2026-02-26T10:30Z", "2026-02-30T10:30:00Z",
        "2026-13-01T10:30:00Z", "2026-02-26T24:00:00Z", "2026-02-26T10:60:00Z",
        "2026-02-26T10:30:00.Z", "2026-02-26T10:30:00+0200", "2026-02-26T10:30:00+24:00",
        "yesterday", "2026-02-26T10:30:00Zjunk", "2026-02-26X10:30:00Z", "-026-02-26T10:30:00Z"}) {
    EXPECT_FALSE(seoagents::parse_rfc3339_ms(text).has_value()) << text;
  }
}
