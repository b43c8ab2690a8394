// JSON body parsing, field validation and query parameters.
#include "http/request_body.hpp"

#include <boost/json/parse.hpp>

#include "core/text.hpp"

namespace seoagents::http {
namespace {

std::string length_issue(std::size_t min, std::size_t max) {
  return "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters";
}

// Rejects a declared Content-Type other than JSON; a missing one is accepted.
std::optional<ApiError> check_content_type(const Request& request) {
  auto it = request.find(bhttp::field::content_type);
  if (it == request.end()) return std::nullopt;
  std::string_view type = it->value();
  type = trim_whitespace(type.substr(0, type.find(';')));
  if (type.size() == 16 &&
      std::equal(type.begin(), type.end(), "application/json",
                 [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
    return std::nullopt;
  }
  return ApiError{bhttp::status::unsupported_media_type,
                  "UNSUPPORTED_MEDIA_TYPE",
                  "Send the body as Content-Type: application/json",
                  {}};
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (char c : text)
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

Expected<boost::json::object, ApiError> parse_json_object(const Request& request,
                                                          bool empty_is_object) {
  if (auto problem = check_content_type(request)) return unexpected(*problem);
  if (request.body().empty() && empty_is_object) return boost::json::object();
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::json::value value = boost::json::parse(request.body(), ec, {}, options);
  if (ec) {
    return unexpected(ApiError{bhttp::status::bad_request,
                               "INVALID_JSON",
                               "The request body is not valid JSON: " + ec.message(),
                               {}});
  }
  if (!value.is_object()) {
    return unexpected(ApiError{
        bhttp::status::bad_request, "INVALID_JSON", "The request body must be a JSON object", {}});
  }
  return std::move(value.as_object());
}

void FieldValidator::allow_only(std::initializer_list<std::string_view> allowed) {
  for (const auto& member : body_) {
    bool known = false;
    for (std::string_view name : allowed)
      known = known || member.key() == name;
    if (!known) fail(member.key(), "is not a field of this request");
  }
}

void FieldValidator::fail(std::string_view field, std::string issue) {
  issues_.push_back({std::string(field), std::move(issue)});
}

ApiError FieldValidator::error() const {
  return {bhttp::status::bad_request, "VALIDATION_ERROR",
          "The request has invalid fields; see details", issues_};
}

const boost::json::value* FieldValidator::find(std::string_view field, bool required) {
  const boost::json::value* value = body_.if_contains(field);
  if (value == nullptr && required) fail(field, "is required");
  return value;
}

std::optional<std::string> FieldValidator::text(std::string_view field, bool required,
                                                std::size_t min, std::size_t max) {
  const boost::json::value* value = find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    fail(field, "must be a string");
    return std::nullopt;
  }
  std::string_view trimmed = trim_whitespace(value->as_string());
  std::size_t length = utf8_length(trimmed);
  if (length < min || length > max) {
    fail(field, length_issue(min, max));
    return std::nullopt;
  }
  return std::string(trimmed);
}

std::optional<std::int64_t> FieldValidator::integer(std::string_view field, bool required,
                                                    std::int64_t min, std::int64_t max) {
  const boost::json::value* value = find(field, required);
  if (value == nullptr) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64()) number = value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(max)) {
    number = static_cast<std::int64_t>(value->as_uint64());
  }
  if (!number && !value->is_uint64()) {
    fail(field, "must be an integer");
    return std::nullopt;
  }
  if (!number || *number < min || *number > max) {
    fail(field, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<std::string> FieldValidator::choice(std::string_view field, bool required,
                                                  std::initializer_list<std::string_view> values) {
  const boost::json::value* value = find(field, required);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) {
    for (std::string_view allowed : values) {
      if (value->as_string() == allowed) return std::string(allowed);
    }
  }
  std::string list;
  for (std::string_view allowed : values) {
    if (!list.empty()) list += ", ";
    list += allowed;
  }
  fail(field, "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldValidator::text_array(std::string_view field,
                                                                   bool required,
                                                                   std::size_t max_items,
                                                                   std::size_t min_each,
                                                                   std::size_t max_each) {
  const boost::json::value* value = find(field, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) {
    fail(field, "must be an array of strings");
    return std::nullopt;
  }
  const boost::json::array& array = value->as_array();
  if (array.size() > max_items) {
    fail(field, "must have at most " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> items;
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string name = std::string(field) + "[" + std::to_string(i) + "]";
    if (!array[i].is_string()) {
      fail(name, "must be a string");
      return std::nullopt;
    }
    std::string_view trimmed = trim_whitespace(array[i].as_string());
    std::size_t length = utf8_length(trimmed);
    if (length < min_each || length > max_each) {
      fail(name, length_issue(min_each, max_each));
      return std::nullopt;
    }
    items.emplace_back(trimmed);
  }
  return items;
}

// Decodes one application/x-www-form-urlencoded part: '+' is a space, %XX a byte.
std::optional<std::string> form_decode(std::string_view part) {
  std::string out;
  out.reserve(part.size());
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '+') {
      out += ' ';
    } else if (part[i] != '%') {
      out += part[i];
    } else {
      if (i + 2 >= part.size() || hex(part[i + 1]) < 0 || hex(part[i + 2]) < 0) return std::nullopt;
      out += static_cast<char>(hex(part[i + 1]) * 16 + hex(part[i + 2]));
      i += 2;
    }
  }
  return out;
}

std::optional<std::string> query_parameter(std::string_view query, std::string_view name) {
  // A small parser of its own: the query is a view into the request target, and Boost.URL 1.81
  // can read past the end of such a view when it decodes.
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::size_t eq = part.find('=');
    auto key = form_decode(part.substr(0, eq));
    if (!key || *key != name) continue;
    return eq == std::string_view::npos ? std::optional<std::string>("")
                                        : form_decode(part.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace seoagents::http
