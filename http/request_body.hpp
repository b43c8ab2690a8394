// Reading JSON request bodies and validating their fields. Malformed JSON → 400 INVALID_JSON;
// wrong types, out-of-range values, unknown enum values or unknown fields → 400
// VALIDATION_ERROR with one `details` entry per field.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "http/api_error.hpp"
#include "http/types.hpp"

namespace seoagents::http {

// The body as a JSON object. An empty body is an empty object only when `empty_is_object`.
Expected<boost::json::object, ApiError> parse_json_object(const Request& request,
                                                          bool empty_is_object = false);

// Collects problems field by field; error() turns them into one VALIDATION_ERROR.
class FieldValidator {
 public:
  explicit FieldValidator(const boost::json::object& body) : body_(body) {}

  // Refuses members other than `allowed` (mass assignment of unknown or privileged fields).
  void allow_only(std::initializer_list<std::string_view> allowed);

  bool has(std::string_view field) const { return body_.contains(field); }

  // A string, trimmed of surrounding white space, `min`..`max` characters (UTF-8 code points).
  std::optional<std::string> text(std::string_view field, bool required, std::size_t min,
                                  std::size_t max);
  // An integer in [min, max].
  std::optional<std::int64_t> integer(std::string_view field, bool required, std::int64_t min,
                                      std::int64_t max);
  // A string that is one of `values`.
  std::optional<std::string> choice(std::string_view field, bool required,
                                    std::initializer_list<std::string_view> values);
  // An array of strings, each trimmed and `min_each`..`max_each` characters, at most `max_items`.
  std::optional<std::vector<std::string>> text_array(std::string_view field, bool required,
                                                     std::size_t max_items, std::size_t min_each,
                                                     std::size_t max_each);

  // Records a problem found by the caller.
  void fail(std::string_view field, std::string issue);

  bool ok() const { return issues_.empty(); }
  ApiError error() const;

 private:
  const boost::json::value* find(std::string_view field, bool required);

  const boost::json::object& body_;
  std::vector<FieldIssue> issues_;
};

// Number of UTF-8 code points (the body was validated as UTF-8 by the JSON parser).
std::size_t utf8_length(std::string_view text);

// The percent-decoded value of query parameter `name`, if present.
std::optional<std::string> query_parameter(std::string_view query, std::string_view name);

}  // namespace seoagents::http
