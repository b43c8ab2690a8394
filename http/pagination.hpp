// Cursor pagination for every list: `limit` (default 25, 1–100), `sort` (`field:asc|desc` from a
// whitelist per list), and an opaque `cursor` — the last row's (sort value, id), signed with
// HMAC-SHA256 and bound to the list, the sort and the account reading it, so a tampered cursor,
// or one from another list, sort or account, is refused with 400 INVALID_CURSOR. Responses are
// {"data": [...], "next_cursor": "..." | null}, rendered by render_list_page().
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/expected.hpp"
#include "core/json_writer.hpp"
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

  // `scope`: what the cursor is valid for (a list as one account reads it, see PageRequest).
  std::string encode(std::string_view scope, std::string_view sort, const CursorPosition& at) const;
  // nullopt when the cursor is malformed, tampered with, or belongs to another scope or sort.
  std::optional<CursorPosition> decode(std::string_view cursor, std::string_view scope,
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
  // The list and the account reading it ("agents/acct-…"): the cursors of this page are valid
  // only there.
  std::string scope;

  // "created_at:desc": the form the cursor is bound to.
  std::string sort_key() const { return sort_field + (descending ? ":desc" : ":asc"); }
};

inline constexpr std::size_t kDefaultPageSize = 25;
inline constexpr std::size_t kMaxPageSize = 100;

// Reads limit, sort and cursor from the query of list `list` read by `account_id`.
// `sort_fields` is the whitelist; the default sort is `created_at:desc`.
Expected<PageRequest, ApiError> parse_page_request(
    std::string_view query, std::string_view list, std::string_view account_id,
    std::initializer_list<std::string_view> sort_fields, const CursorCodec& codec);

// A cursor position from a store row's sort value (an integer or a string) and id.
CursorPosition cursor_position(const std::variant<std::int64_t, std::string>& sort_value,
                               const std::string& id);

// The body of a list answer, {"data":[...],"next_cursor":...}. `rows` were read with a limit of
// page.limit + 1: an extra row only tells that there is a next page, whose cursor is the
// position (`position_of(row)`) of the last row shown. `write_row(json, row)` writes one row.
template <class Row, class PositionOf, class WriteRow>
std::string render_list_page(std::vector<Row>& rows, const PageRequest& page,
                             const CursorCodec& codec, PositionOf position_of, WriteRow write_row) {
  std::optional<std::string> next;
  if (rows.size() > page.limit) {
    rows.resize(page.limit);
    if (!rows.empty()) next = codec.encode(page.scope, page.sort_key(), position_of(rows.back()));
  }
  std::string body;
  body.reserve(64 + rows.size() * 512);  // an article row is about 450 bytes
  JsonWriter json(body);
  json.begin_object().key("data").begin_array();
  for (const Row& row : rows)
    write_row(json, row);
  json.end_array().key("next_cursor");
  if (next) {
    json.value(*next);
  } else {
    json.null();
  }
  json.end_object();
  return body;
}

}  // namespace seoagents::http
