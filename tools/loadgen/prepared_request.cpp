// Rendering requests and reading cursors (see prepared_request.hpp).
#include "tools/loadgen/prepared_request.hpp"

#include <strings.h>

#include <algorithm>
#include <charconv>

namespace seoagents::loadgen {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool needs_length_without_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

void append_length_and_body(std::string_view body, std::string& out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, body.size());
  out.append("Content-Length: ");
  out.append(digits, end);
  out.append("\r\n\r\n");
  out.append(body);
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

}  // namespace

PreparedRequest::PreparedRequest(const RequestKind& kind, std::string_view host)
    : method_prefix_(kind.method + " "),
      path_(kind.path),
      body_(kind.body),
      head_(kind.method == "HEAD"),
      follow_cursor_(kind.follow_cursor),
      pages_(kind.pages),
      weight_(kind.weight) {
  head_rest_.append_literal(" HTTP/1.1\r\n");
  bool has_host = std::any_of(kind.headers.begin(), kind.headers.end(),
                              [](const auto& header) { return same_name(header.first, "Host"); });
  if (!has_host) {
    head_rest_.append_literal("Host: ");
    head_rest_.append_literal(host);
    head_rest_.append_literal("\r\n");
  }
  for (const auto& [name, value] : kind.headers) {
    if (same_name(name, "Content-Length")) continue;  // always computed
    head_rest_.append_literal(name);
    head_rest_.append_literal(": ");
    head_rest_.append(value);
    head_rest_.append_literal("\r\n");
  }
  if (!body_ && needs_length_without_body(kind.method)) body_ = RequestTemplate::literal("");
  bool varies = !path_.is_literal() || !head_rest_.is_literal() || (body_ && !body_->is_literal());
  if (varies || follow_cursor_) return;
  std::string fixed = method_prefix_ + path_.literal_text() + head_rest_.literal_text();
  if (body_) {
    append_length_and_body(body_->literal_text(), fixed);
  } else {
    fixed.append("\r\n");
  }
  fixed_ = std::move(fixed);
}

std::string_view PreparedRequest::render(ExpansionContext& context, std::string_view cursor,
                                         std::string& out, std::string& body_scratch) const {
  if (fixed_) return *fixed_;
  context.begin_request();
  out.clear();
  out.append(method_prefix_);
  std::size_t path_start = out.size();
  path_.expand(context, out);
  if (!cursor.empty()) {
    bool has_query = out.find('?', path_start) != std::string::npos;
    out.append(has_query ? "&cursor=" : "?cursor=");
    append_query_value(cursor, out);
  }
  head_rest_.expand(context, out);
  if (!body_) {
    out.append("\r\n");
    return out;
  }
  body_scratch.clear();
  body_->expand(context, body_scratch);
  append_length_and_body(body_scratch, out);
  return out;
}

KindPicker::KindPicker(const std::vector<PreparedRequest>& kinds) {
  std::uint64_t total = 0;
  for (const PreparedRequest& kind : kinds) {
    total += kind.weight();
    cumulative_.push_back(total);
  }
}

std::size_t KindPicker::pick(FastRandom& random) const {
  if (cumulative_.size() == 1) return 0;
  std::uint64_t draw = random.next() % cumulative_.back();
  auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), draw);
  return static_cast<std::size_t>(found - cumulative_.begin());
}

std::optional<std::string_view> find_string_member(std::string_view json, std::string_view name) {
  std::size_t at = 0;
  while ((at = json.find(name, at)) != std::string_view::npos) {
    bool quoted = at > 0 && json[at - 1] == '"' && at + name.size() < json.size() &&
                  json[at + name.size()] == '"';
    at += name.size();
    if (!quoted) continue;
    std::size_t value = at + 1;
    while (value < json.size() && (json[value] == ' ' || json[value] == ':'))
      ++value;
    if (value >= json.size() || json[value] != '"') return std::nullopt;
    std::size_t end = json.find('"', value + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return json.substr(value + 1, end - value - 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> find_next_cursor(std::string_view body) {
  auto cursor = find_string_member(body, "next_cursor");
  if (cursor && cursor->empty()) return std::nullopt;
  return cursor;
}

void append_query_value(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
      continue;
    }
    auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
}

}  // namespace seoagents::loadgen
