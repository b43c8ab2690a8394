// Response serialisation for the session's write path.
#include "http/wire.hpp"

#include <charconv>

namespace seoagents::http {

void serialize_response(const Response& response, bool head_only, std::string& out) {
  out.clear();
  out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char digits[8];
  auto end = std::to_chars(digits, digits + sizeof digits, response.result_int()).ptr;
  out.append(digits, end);
  out += ' ';
  std::string_view reason = response.reason();
  if (reason.empty()) reason = bhttp::obsolete_reason(response.result());
  out += reason;
  out += "\r\n";
  for (const auto& field : response) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
  if (!head_only) out += response.body();
}

}  // namespace seoagents::http
