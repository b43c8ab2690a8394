// A scenario: the kinds of request a run sends, each with a weight (how often it is picked),
// method, path, headers and body templates, and optionally a cursor walk (`follow next_cursor`).
// Read from a small line-based file (see README.md) or built from the command line's single URL.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/loadgen/request_template.hpp"

namespace seoagents::loadgen {

// A scenario file that is not valid: "FILE:LINE: what is wrong".
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RequestKind {
  // Relative frequency (> 0).
  std::uint32_t weight = 1;
  std::string method;
  // Starts with '/'; may hold a query.
  RequestTemplate path;
  std::vector<std::pair<std::string, RequestTemplate>> headers;
  std::optional<RequestTemplate> body;
  // Each request continues the connection's walk: "cursor=<next_cursor of the previous answer>".
  bool follow_cursor = false;
  // With follow_cursor: the walk starts again at page 1 after this many pages (0: only when
  // next_cursor is null).
  std::uint64_t pages = 0;
  // The file line of the request line (0 for the command line's request).
  int line = 0;
};

struct Scenario {
  std::vector<RequestKind> kinds;
};

// Parses scenario text; throws ScenarioError naming `file_name` and the line.
Scenario parse_scenario(std::string_view text, std::string_view file_name,
                        const Variables& variables);

// The single request of the command line (-m, URL path, -H, --body); throws ScenarioError
// ("--header: …") when a template or header is bad.
Scenario single_request_scenario(std::string_view method, std::string_view path,
                                 const std::vector<std::string>& headers,
                                 const std::optional<std::string>& body,
                                 const Variables& variables);

// "Name: value" split at the first ':' with the value's surrounding blanks removed; nullopt when
// there is no ':' or the name is empty or holds a blank.
std::optional<std::pair<std::string, std::string>> split_header(std::string_view line);

}  // namespace seoagents::loadgen
