// JSON text output: string escaping with UTF-8 validation, and the streaming writer.
#include "core/json_writer.hpp"

#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/clock.hpp"

namespace seoagents {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
  }
  unsigned char second = byte(i + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
    return 0;  // overlong encodings, UTF-16 surrogates, code points above U+10FFFF
  }
  return length;
}

bool is_plain(unsigned char c) {
  return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

// Where the run of plain printable ASCII starting at `from` ends: at the first byte that must be
// escaped or checked as UTF-8 (a control character, '"', '\\', DEL, any byte from 0x80), or at
// the end. Eight bytes at a time (strings are mostly such runs), with the word tests of
// "Bit Twiddling Hacks": a byte below n (n <= 0x80) is flagged by (w - n·ones) & ~w & highs, a
// zero byte by (w - ones) & ~w & highs. A borrow only runs upwards from a byte that is itself
// flagged, so the lowest flagged byte is always a true one.
std::size_t plain_run_end(std::string_view text, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto zero_bytes = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    std::uint64_t flagged = ((word - kOnes * 0x20) & ~word & kHighs)  // control characters
                            | zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) |
                            zero_bytes(word ^ (kOnes * 0x7F)) | (word & kHighs);
    if (flagged != 0) {
      static_assert(std::endian::native == std::endian::little, "the lowest byte comes first");
      return i + static_cast<std::size_t>(std::countr_zero(flagged)) / 8;
    }
  }
  while (i < text.size() && is_plain(static_cast<unsigned char>(text[i])))
    ++i;
  return i;
}

void append_escaped_control(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (is_plain(c)) {
      std::size_t run = plain_run_end(text, i + 1);  // copy plain ASCII runs in one go
      out.append(text.data() + i, run - i);
      i = run;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      append_escaped_control(out, c);
      ++i;
    } else if (std::size_t n = utf8_sequence_length(text, i); n > 0) {
      out.append(text.data() + i, n);
      i += n;
    } else {
      out += kReplacementCharacter;
      ++i;
    }
  }
  out += '"';
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    if (has_element_ & bit) {
      out_ += ',';
    }
    has_element_ |= bit;
  }
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  assert(depth_ < 64);
  ++depth_;
  has_element_ &= ~(std::uint64_t{1} << (depth_ - 1));
}

void JsonWriter::close(char bracket) {
  assert(depth_ > 0 && !after_key_);
  --depth_;
  out_ += bracket;
}

JsonWriter& JsonWriter::begin_object() {
  open('{');
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  open('[');
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t number) {
  before_value();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) {
    return null();  // JSON has no NaN or infinity
  }
  before_value();
  char digits[32];
  auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::timestamp(std::int64_t unix_ms) {
  before_value();
  char text[kRfc3339MaxLength + 1];
  out_ += '"';
  out_.append(text, write_rfc3339_ms(unix_ms, text));
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

}  // namespace seoagents
