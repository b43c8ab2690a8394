// A streaming JSON writer that appends straight into one string: the fast path for responses and
// log lines, with no intermediate DOM. Strings are escaped and always come out as valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seoagents {

// Appends `text` as a quoted JSON string. Invalid UTF-8 sequences become U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// Writes one JSON value. Nesting is limited to 64 levels (asserted), far beyond any API body.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(unsigned number) { return value(static_cast<std::uint64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // A time (ms since the Unix epoch) as an RFC 3339 string, "2026-02-26T10:30:00.123Z".
  JsonWriter& timestamp(std::int64_t unix_ms);
  // A value that is already valid JSON text, written as it is.
  JsonWriter& raw(std::string_view json);

  // key(name) then value(v): the common case of an object member.
  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);

  // The string being written.
  std::string& out_;
  // Bit d is set when the container at depth d already holds an element (a comma is due).
  std::uint64_t has_element_ = 0;
  // Current nesting depth.
  int depth_ = 0;
  // True right after key(): the next value needs no comma.
  bool after_key_ = false;
};

}  // namespace seoagents
