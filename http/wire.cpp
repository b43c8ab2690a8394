// Request framing checks and response serialisation (see wire.hpp).
#include "http/wire.hpp"

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <charconv>

namespace seoagents::http {

std::optional<ApiError> check_framing(const Request& request) {
  std::size_t hosts = request.count(bhttp::field::host);
  if (hosts == 0 && request.version() >= 11) {
    return errors::bad_request("An HTTP/1.1 request must have a Host header");
  }
  if (hosts > 1) return errors::bad_request("A request must have one Host header, not several");
  // The parser takes "5, 5" as 5; a proxy might not.
  auto length = request.find(bhttp::field::content_length);
  if (length != request.end() &&
      length->value().find_first_not_of("0123456789") != std::string_view::npos) {
    return errors::bad_request("Content-Length must be one number");
  }
  auto te = request.find(bhttp::field::transfer_encoding);
  if (te != request.end()) {
    if (request.version() < 11) {
      return errors::bad_request("Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    if (request.find(bhttp::field::content_length) != request.end()) {
      return errors::bad_request("Content-Length and Transfer-Encoding must not both be present");
    }
    std::string_view coding = te->value();
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) {
      coding.remove_prefix(1);
    }
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) {
      coding.remove_suffix(1);
    }
    if (!boost::algorithm::iequals(coding, "chunked"))
      return errors::unsupported_transfer_encoding();
  }
  auto expect = request.find(bhttp::field::expect);
  if (expect != request.end() && !boost::algorithm::iequals(expect->value(), "100-continue")) {
    return errors::expectation_failed();
  }
  return std::nullopt;
}

bool has_obs_fold(std::string_view bytes) {
  std::size_t end = bytes.find("\r\n\r\n");
  std::string_view header = bytes.substr(0, end);
  for (std::size_t at = header.find("\r\n"); at != std::string_view::npos;
       at = header.find("\r\n", at + 2)) {
    if (at + 2 < header.size() && (header[at + 2] == ' ' || header[at + 2] == '\t')) return true;
  }
  return false;
}

namespace {

// "Name: value\r\n", written in one step (it runs a dozen times per response).
void append_header(std::string& out, std::string_view name, std::string_view value) {
  std::size_t at = out.size();
  out.resize(at + name.size() + value.size() + 4);
  char* to = std::copy(name.begin(), name.end(), out.data() + at);
  *to++ = ':';
  *to++ = ' ';
  to = std::copy(value.begin(), value.end(), to);
  *to++ = '\r';
  *to = '\n';
}

// `standard`: the headers written before the response's fields, or null.
void serialize(const Response& response, const StandardHeaders* standard, bool head_only,
               std::string& out) {
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
  if (standard != nullptr) {
    standard->each(
        [&out](std::string_view name, std::string_view value) { append_header(out, name, value); });
  }
  for (const auto& field : response) {
    append_header(out, field.name_string(), field.value());
  }
  out += "\r\n";
  if (!head_only) out += response.body();
}

}  // namespace

void serialize_response(const Answer& answer, bool head_only, std::string& out) {
  serialize(answer.response, &answer.headers, head_only, out);
}

void serialize_response(const Response& response, bool head_only, std::string& out) {
  serialize(response, nullptr, head_only, out);
}

}  // namespace seoagents::http
