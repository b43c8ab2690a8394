// A request kind made ready to send: everything fixed is rendered once (the whole request when
// nothing varies); per request only the template variables, the cursor and Content-Length are
// written, into a string the connection reuses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/loadgen/request_template.hpp"
#include "tools/loadgen/scenario.hpp"

namespace seoagents::loadgen {

class PreparedRequest {
 public:
  // `host` is the Host header's value (used unless the kind sets its own).
  PreparedRequest(const RequestKind& kind, std::string_view host);

  // The bytes of the next request. `cursor` (when not empty) is appended to the path as
  // `cursor=…`. The view points into `out` or into this object's fixed bytes.
  std::string_view render(ExpansionContext& context, std::string_view cursor, std::string& out,
                          std::string& body_scratch) const;

  bool is_head() const { return head_; }
  bool follows_cursor() const { return follow_cursor_; }
  std::uint64_t pages() const { return pages_; }
  std::uint32_t weight() const { return weight_; }

 private:
  std::string method_prefix_;
  RequestTemplate path_;
  // " HTTP/1.1\r\n" and the header lines (Content-Length excepted).
  RequestTemplate head_rest_;
  std::optional<RequestTemplate> body_;
  // The whole request, when nothing in it varies.
  std::optional<std::string> fixed_;
  bool head_ = false;
  bool follow_cursor_ = false;
  std::uint64_t pages_ = 0;
  std::uint32_t weight_ = 1;
};

// Picks kinds by weight.
class KindPicker {
 public:
  explicit KindPicker(const std::vector<PreparedRequest>& kinds);
  std::size_t pick(FastRandom& random) const;

 private:
  std::vector<std::uint64_t> cumulative_;
};

// The value of the top-level-looking `"next_cursor":"…"` member of a JSON body (the first
// occurrence), or nullopt when it is null or absent.
std::optional<std::string_view> find_next_cursor(std::string_view body);

// The string value of the first `"name":"…"` member in a JSON text (no escapes expected: ids,
// types, times), or nullopt.
std::optional<std::string_view> find_string_member(std::string_view json, std::string_view name);

// Appends `text` percent-encoded for a query value (unreserved characters kept).
void append_query_value(std::string_view text, std::string& out);

}  // namespace seoagents::loadgen
