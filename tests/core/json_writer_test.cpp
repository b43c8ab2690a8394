// Tests of the streaming JSON writer and string escaping.
#include "core/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

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

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\t\x01\x7f");
  EXPECT_EQ(out, R"("a\"b\\c\n\t\u0001\u007f")");
}

TEST(JsonWriter, ReplacesInvalidUtf8AndKeepsValidUtf8) {
  std::string out;
  append_json_string(out, "caf\xC3\xA9 \xFF \xED\xA0\x80 \xF0\x9F\x98\x80");
  EXPECT_EQ(out, "\"caf\xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80\"");
  EXPECT_NO_THROW(boost::json::parse(out));
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  std::string out;
  JsonWriter(out).begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(out, "[null]");
}

}  // namespace
}  // namespace seoagents
