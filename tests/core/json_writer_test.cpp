// Tests of the streaming JSON writer and string escaping.
#include "core/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <limits>
#include <vector>

#include "core/clock.hpp"

namespace seoagents {
namespace {

TEST(JsonWriter, WritesNestedObjectsAndArraysWithCommas) {
  std::string out;
  JsonWriter(out)
      .begin_object()
      .member("a", 1)
      .key("list")
      .begin_array()
      .value("x")
      .value(true)
      .null()
      .begin_object()
      .end_object()
      .end_array()
      .member("b", 2.5)
      .end_object();
  EXPECT_EQ(out, R"({"a":1,"list":["x",true,null,{}],"b":2.5})");
}

TEST(JsonWriter, TimestampsAreTheRfc3339TextAsStrings) {
  std::string out;
  JsonWriter(out)
      .begin_array()
      .timestamp(1'772'101'800'123)
      .timestamp(-1)
      .timestamp(std::numeric_limits<std::int64_t>::max())
      .end_array();
  auto parsed = boost::json::parse(out).as_array();
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].as_string(), "2026-02-26T10:30:00.123Z");
  EXPECT_EQ(parsed[1].as_string(), "1969-12-31T23:59:59.999Z");
  // Far outside 0–9999: still one string, as format_rfc3339_ms writes it.
  EXPECT_EQ(parsed[2].as_string(), format_rfc3339_ms(std::numeric_limits<std::int64_t>::max()));
}

// The plain runs are scanned eight bytes at a time: every special byte at every offset of a
// word, and right after one, must still be found.
TEST(JsonWriter, FindsEverySpecialByteAtEveryPosition) {
  const std::vector<std::pair<std::string, std::string>> specials = {
      {std::string(1, '\0'), std::string(1, '\0')},
      {"\x1f", "\x1f"},
      {"\"", "\""},
      {"\\", "\\"},
      {"\x7f", "\x7f"},
      {"\xc3\xa9", "\xc3\xa9"},  // é, valid UTF-8: kept
      {"\x80", "\xEF\xBF\xBD"},  // a lone continuation byte: replaced
      {"\xff", "\xEF\xBF\xBD"}};
  for (const auto& [special, decoded] : specials) {
    for (std::size_t at = 0; at <= 20; ++at) {
      std::string text(24, 'a');
      text.replace(at, 1, special);
      std::string expected = text;
      expected.replace(at, special.size(), decoded);
      std::string out;
      append_json_string(out, text);
      auto parsed = boost::json::parse(out);
      EXPECT_EQ(parsed.as_string(), expected) << "byte " << int(special[0] & 0xFF) << " at " << at;
    }
  }
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\t\x01\x7f");
  EXPECT_EQ(out, R"("a\"b\\c\n\t\u0001\u007f")");
}

TEST(JsonWriter, ReplacesInvalidUtf8AndKeepsValidUtf8) {
  std::string out;
  append_json_string(out, "caf\xC3\xA9 \xFF \xED\xA0\x80 \xF0\x9F\x98\x80");
  EXPECT_EQ(out,
            "\"caf\xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80\"");
  EXPECT_NO_THROW(boost::json::parse(out));
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  std::string out;
  JsonWriter(out).begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(out, "[null]");
}

TEST(JsonWriter, WritesIntegerExtremesExactly) {
  std::string out;
  JsonWriter(out)
      .begin_array()
      .value(std::numeric_limits<std::int64_t>::min())
      .value(std::numeric_limits<std::int64_t>::max())
      .value(std::numeric_limits<std::uint64_t>::max())
      .value(0)
      .value(-1)
      .value(7u)
      .end_array();
  EXPECT_EQ(out, "[-9223372036854775808,9223372036854775807,18446744073709551615,0,-1,7]");
}

TEST(JsonWriter, DoublesRoundTripInShortestForm) {
  std::string out;
  JsonWriter(out).begin_array().value(0.1).value(-2.5).value(1e300).value(3.0).end_array();
  EXPECT_EQ(out, "[0.1,-2.5,1e+300,3]");
  boost::json::value parsed = boost::json::parse(out);
  EXPECT_EQ(parsed.as_array()[0].as_double(), 0.1);
  EXPECT_EQ(parsed.as_array()[2].as_double(), 1e300);
}

TEST(JsonWriter, CommasAfterNestedContainersAndRawValues) {
  std::string out;
  JsonWriter(out)
      .begin_array()
      .begin_array()
      .end_array()
      .begin_array()
      .value(1)
      .begin_object()
      .member("k", false)
      .key("raw")
      .raw(R"({"pre":[1,2]})")
      .member("", "empty key")
      .end_object()
      .end_array()
      .raw("null")
      .value(std::string("s"))
      .end_array();
  EXPECT_EQ(out, R"([[],[1,{"k":false,"raw":{"pre":[1,2]},"":"empty key"}],null,"s"])");
  EXPECT_NO_THROW(boost::json::parse(out));
}

TEST(JsonWriter, SixtyFourLevelsOfNestingAreAllowed) {
  std::string out;
  JsonWriter json(out);
  for (int i = 0; i < 64; ++i)
    json.begin_array();
  for (int i = 0; i < 64; ++i)
    json.end_array();
  EXPECT_EQ(out, std::string(64, '[') + std::string(64, ']'));
}

TEST(JsonWriter, EveryControlCharacterIsEscapedAndParsesBack) {
  std::string text;
  for (int c = 0; c < 0x20; ++c)
    text += static_cast<char>(c);
  text += '\x7f';
  std::string out;
  append_json_string(out, text);
  for (char c : out) {
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "raw control character in output";
  }
  EXPECT_NE(out.find(R"(\u0000)"), std::string::npos);
  EXPECT_NE(out.find(R"(\u001f)"), std::string::npos);
  EXPECT_NE(out.find(R"(\r)"), std::string::npos);
  EXPECT_NE(out.find(R"(\b)"), std::string::npos);
  EXPECT_NE(out.find(R"(\f)"), std::string::npos);
  EXPECT_EQ(boost::json::parse(out).as_string(), text);
}

TEST(JsonWriter, RejectsOverlongTruncatedAndOutOfRangeUtf8) {
  struct Case {
    std::string input;
    std::string expected;  // between the quotes
  };
  const std::string fffd = "\xEF\xBF\xBD";
  for (const Case& c :
       std::vector<Case>{{"\xC0\xAF", fffd + fffd},                        // overlong '/'
                         {"\xE0\x80\xAF", fffd + fffd + fffd},             // overlong 3-byte
                         {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
                         {"ab\xE2\x82", "ab" + fffd + fffd},               // truncated at the end
                         {"\x80x", fffd + "x"},                            // lone continuation byte
                         {"\xEF\xBF\xBF", "\xEF\xBF\xBF"},                 // U+FFFF is valid
                         {"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},         // U+10FFFF is valid
                         {"\xE2\x82\xAC", "\xE2\x82\xAC"}}) {              // the euro sign
    std::string out;
    append_json_string(out, c.input);
    EXPECT_EQ(out, "\"" + c.expected + "\"");
    EXPECT_NO_THROW(boost::json::parse(out));
  }
}

TEST(JsonWriter, AppendsToExistingText) {
  std::string out = "prefix:";
  append_json_string(out, "x");
  EXPECT_EQ(out, "prefix:\"x\"");
  JsonWriter(out).begin_object().end_object();
  EXPECT_EQ(out, "prefix:\"x\"{}");
}

}  // namespace
}  // namespace seoagents
