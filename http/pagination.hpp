// Cursor pagination for every list: `limit` (default 25, 1–100), `sort` (`field:asc|desc` from a
// whitelist per list), and an opaque `cursor` — the last row's (sort value, id), signed with
// HMAC-SHA256 so a tampered cursor, or one from another list or sort, is refused with
// 400 INVALID_CURSOR. Responses are {"data": [...], "next_cursor": "..." | null}.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "http/api_error.hpp"

namespace seoagents::http {

// Where the previous page ended.
struct CursorPosition {
  // The sort column's value in the last row (an integer or a string).
  boost::json::value sort_value;
  std::string id;
};

class CursorCodec {
 public:
  // `key`: a secret derived from the master key, so cursors survive restarts.
  explicit CursorCodec(std::string key) : key_(std::move(key)) {}

  std::string encode(std::string_view list, std::string_view sort, const CursorPosition& at) const;
  // nullopt when the cursor is malformed, tampered with, or belongs to another list or sort.
  std::optional<CursorPosition> decode(std::string_view cursor, std::string_view list,
                                       std::string_view sort) const;

 private:
  std::string key_;
};

struct PageRequest {
  std::size_t limit = 25;
  // A whitelisted field name.
  std::string sort_field;
  bool descending = true;
  std::optional<CursorPosition> after;

  // "created_at:desc": the form the cursor is bound to.
  std::string sort_key() const { return sort_field + (descending ? ":desc" : ":asc"); }
};

inline constexpr std::size_t kDefaultPageSize = 25;
inline constexpr std::size_t kMaxPageSize = 100;

// Reads limit, sort and cursor from the query. `sort_fields` is the whitelist; the default sort
// is `created_at:desc`.
Expected<PageRequest, ApiError> parse_page_request(
    std::string_view query, std::string_view list,
    std::initializer_list<std::string_view> sort_fields, const CursorCodec& codec);

// {"data":[<items, already JSON>],"next_cursor":...}
std::string render_page(const std::string& items_json, const std::optional<std::string>& next);

}  // namespace seoagents::http
