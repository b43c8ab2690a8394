// Cursor encoding and the parsing of list parameters.
#include "http/pagination.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "http/request_body.hpp"

namespace seoagents::http {
namespace {

// 16 bytes of the MAC are plenty to make forging a cursor hopeless.
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMaxCursorLength = 1024;

ApiError invalid_cursor() {
  return {bhttp::status::bad_request,
          "INVALID_CURSOR",
          "The cursor is not valid for this list, sort and account; start again without it",
          {}};
}

ApiError invalid_parameter(std::string field, std::string issue) {
  return {bhttp::status::bad_request,
          "VALIDATION_ERROR",
          "Invalid query parameter: " + field,
          {{std::move(field), std::move(issue)}}};
}

std::string mac(std::string_view key, std::string_view scope, std::string_view sort,
                std::string_view payload) {
  std::string message;
  message.append(scope).append("\n").append(sort).append("\n").append(payload);
  return hmac_sha256(key, message).substr(0, kMacBytes);
}

// A page size from 1 to kMaxPageSize, digits only.
std::optional<std::size_t> parse_limit(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > kMaxPageSize) return std::nullopt;
  return value;
}

// "field:asc", "field:desc" or "field" (ascending) with a whitelisted field, into `page`.
bool parse_sort(std::string_view text, std::initializer_list<std::string_view> sort_fields,
                PageRequest& page) {
  std::size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view direction = colon == std::string_view::npos ? "asc" : text.substr(colon + 1);
  if (std::find(sort_fields.begin(), sort_fields.end(), field) == sort_fields.end()) return false;
  if (direction != "asc" && direction != "desc") return false;
  page.sort_field = field;
  page.descending = direction == "desc";
  return true;
}

std::string joined(std::initializer_list<std::string_view> names) {
  std::string text;
  for (std::string_view name : names) {
    if (!text.empty()) text += ", ";
    text.append(name);
  }
  return text;
}

}  // namespace

std::string CursorCodec::encode(std::string_view scope, std::string_view sort,
                                const CursorPosition& at) const {
  boost::json::object object;
  object["v"] = at.sort_value;
  object["i"] = at.id;
  std::string payload = boost::json::serialize(object);
  std::string cursor = base64url_encode(payload);
  cursor.append(".").append(base64url_encode(mac(key_, scope, sort, payload)));
  return cursor;
}

std::optional<CursorPosition> CursorCodec::decode(std::string_view cursor, std::string_view scope,
                                                  std::string_view sort) const {
  if (cursor.size() > kMaxCursorLength) return std::nullopt;
  std::size_t dot = cursor.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto payload = base64url_decode(cursor.substr(0, dot));
  auto signature = base64url_decode(cursor.substr(dot + 1));
  if (!payload || !signature) return std::nullopt;
  if (!constant_time_equal(*signature, mac(key_, scope, sort, *payload))) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*payload, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& object = value.as_object();
  const auto* sort_value = object.if_contains("v");
  const auto* id = object.if_contains("i");
  if (sort_value == nullptr || id == nullptr || !id->is_string()) return std::nullopt;
  if (!sort_value->is_int64() && !sort_value->is_string()) return std::nullopt;
  return CursorPosition{*sort_value, std::string(id->as_string())};
}

Expected<PageRequest, ApiError> parse_page_request(
    std::string_view query, std::string_view list, std::string_view account_id,
    std::initializer_list<std::string_view> sort_fields, const CursorCodec& codec) {
  PageRequest page;
  page.limit = kDefaultPageSize;
  page.sort_field = "created_at";
  page.scope.append(list).append("/").append(account_id);
  if (auto limit = query_parameter(query, "limit")) {
    auto value = parse_limit(*limit);
    if (!value) return unexpected(invalid_parameter("limit", "must be an integer from 1 to 100"));
    page.limit = *value;
  }
  if (auto sort = query_parameter(query, "sort")) {
    if (!parse_sort(*sort, sort_fields, page)) {
      return unexpected(invalid_parameter(
          "sort", "must be field:asc or field:desc, field one of: " + joined(sort_fields)));
    }
  }
  if (auto cursor = query_parameter(query, "cursor")) {
    page.after = codec.decode(*cursor, page.scope, page.sort_key());
    if (!page.after) return unexpected(invalid_cursor());
  }
  return page;
}

CursorPosition cursor_position(const std::variant<std::int64_t, std::string>& sort_value,
                               const std::string& id) {
  CursorPosition position;
  std::visit([&](const auto& value) { position.sort_value = boost::json::value(value); },
             sort_value);
  position.id = id;
  return position;
}

}  // namespace seoagents::http
