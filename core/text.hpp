// Small text helpers shared by the layers: ASCII white space trimmed, ASCII case folded.
#pragma once

#include <string>
#include <string_view>

namespace seoagents {

// `text` without the ASCII white space (space, \t, \n, \r, \f, \v) at either end.
inline std::string_view trim_whitespace(std::string_view text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && space(text.back()))
    text.remove_suffix(1);
  return text;
}

// `text` with A-Z lowered; other bytes (UTF-8 included) unchanged.
inline std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace seoagents
