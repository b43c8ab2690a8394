// The scenario file parser (see scenario.hpp and README.md for the format).
#include "tools/loadgen/scenario.hpp"

#include <charconv>

#include "core/text.hpp"

namespace seoagents::loadgen {
namespace {

bool is_method(std::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::optional<std::uint64_t> positive_integer(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

// Builds the kinds block by block; every error names the line it is on.
class ScenarioParser {
 public:
  ScenarioParser(std::string_view file_name, const Variables& variables)
      : file_name_(file_name), variables_(variables) {}

  void line(int number, std::string_view text) {
    number_ = number;
    text = trim_whitespace(text);
    if (text.empty() || text.front() == '#') return;
    if (text == "---") return end_block();
    auto space = text.find_first_of(" \t");
    std::string_view word = text.substr(0, space);
    std::string_view rest =
        space == std::string_view::npos ? "" : trim_whitespace(text.substr(space));
    if (word == "weight") return weight(rest);
    if (word == "header") return header(rest);
    if (word == "body") return body(rest);
    if (word == "follow") return follow(rest);
    if (word == "pages") return pages(rest);
    if (is_method(word)) return request_line(word, rest);
    fail("unknown directive '" + std::string(word) +
         "' (expected weight, METHOD /path, header, body, follow, pages or ---)");
  }

  Scenario finish() {
    end_block();
    if (scenario_.kinds.empty()) {
      number_ = 0;
      fail("no request in the scenario");
    }
    return std::move(scenario_);
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    std::string where(file_name_);
    if (number_ > 0) where += ":" + std::to_string(number_);
    throw ScenarioError(where + ": " + message);
  }

  RequestTemplate parse_template(std::string_view text) const {
    try {
      return RequestTemplate::parse(text, variables_);
    } catch (const TemplateError& e) {
      fail(e.what());
    }
  }

  void start_block_if_needed() {
    if (!open_) {
      current_ = RequestKind{};
      open_ = true;
      has_weight_ = false;
      pages_line_ = 0;
    }
  }

  void end_block() {
    if (!open_) return;
    open_ = false;
    if (current_.method.empty()) fail("block without a request line (METHOD /path)");
    if (pages_line_ != 0 && !current_.follow_cursor) {
      number_ = pages_line_;
      fail("'pages' needs 'follow next_cursor'");
    }
    scenario_.kinds.push_back(std::move(current_));
  }

  void weight(std::string_view value) {
    start_block_if_needed();
    if (has_weight_) fail("a second 'weight' in one block");
    auto parsed = positive_integer(value);
    if (!parsed || *parsed > 1'000'000) fail("weight must be an integer from 1 to 1000000");
    current_.weight = static_cast<std::uint32_t>(*parsed);
    has_weight_ = true;
  }

  void request_line(std::string_view method, std::string_view path) {
    start_block_if_needed();
    if (!current_.method.empty()) fail("a second request line in one block (separate with ---)");
    if (path.empty() || path.front() != '/') fail("the path must start with '/'");
    if (path.find_first_of(" \t") != std::string_view::npos) fail("the path holds a blank");
    current_.method.assign(method);
    current_.path = parse_template(path);
    current_.line = number_;
  }

  void header(std::string_view text) {
    start_block_if_needed();
    auto header = split_header(text);
    if (!header) fail("expected 'header Name: value'");
    current_.headers.emplace_back(header->first, parse_template(header->second));
  }

  void body(std::string_view text) {
    start_block_if_needed();
    if (current_.body) fail("a second 'body' in one block");
    current_.body = parse_template(text);
  }

  void follow(std::string_view what) {
    start_block_if_needed();
    if (what != "next_cursor") fail("expected 'follow next_cursor'");
    current_.follow_cursor = true;
  }

  void pages(std::string_view value) {
    start_block_if_needed();
    auto parsed = positive_integer(value);
    if (!parsed) fail("pages must be a positive integer");
    current_.pages = *parsed;
    pages_line_ = number_;
  }

  std::string_view file_name_;
  const Variables& variables_;
  Scenario scenario_;
  RequestKind current_;
  bool open_ = false;
  bool has_weight_ = false;
  // The line of the block's `pages`, 0 when none.
  int pages_line_ = 0;
  int number_ = 0;
};

}  // namespace

std::optional<std::pair<std::string, std::string>> split_header(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view name = trim_whitespace(line.substr(0, colon));
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return std::pair{std::string(name), std::string(trim_whitespace(line.substr(colon + 1)))};
}

Scenario parse_scenario(std::string_view text, std::string_view file_name,
                        const Variables& variables) {
  ScenarioParser parser(file_name, variables);
  int number = 0;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    parser.line(++number, text.substr(at, end - at));
    at = end + 1;
  }
  return parser.finish();
}

Scenario single_request_scenario(std::string_view method, std::string_view path,
                                 const std::vector<std::string>& headers,
                                 const std::optional<std::string>& body,
                                 const Variables& variables) {
  RequestKind kind;
  kind.method.assign(method);
  try {
    kind.path = RequestTemplate::parse(path, variables);
    for (const std::string& line : headers) {
      auto header = split_header(line);
      if (!header) throw ScenarioError("--header: expected 'Name: value', got '" + line + "'");
      kind.headers.emplace_back(header->first, RequestTemplate::parse(header->second, variables));
    }
    if (body) kind.body = RequestTemplate::parse(*body, variables);
  } catch (const TemplateError& e) {
    throw ScenarioError(std::string("request template: ") + e.what());
  }
  Scenario scenario;
  scenario.kinds.push_back(std::move(kind));
  return scenario;
}

}  // namespace seoagents::loadgen
