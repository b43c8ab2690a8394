// Request text with per-request values: `{{seq}}` (a number unique and increasing over the run),
// `{{uuid}}` (a random UUID v4), `{{rand:A:B}}` (an integer in [A, B]) and `{{var:NAME}}` (a
// value given on the command line, substituted once when the template is parsed). A template is
// parsed once into literal runs and variables, so expanding it only appends to a reused string.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::loadgen {

// --var NAME=VALUE and --var-file lines.
using Variables = std::map<std::string, std::string, std::less<>>;

// A template that is not valid; the message says why (without a file or line).
struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A small fast generator (xoshiro256**); one per connection, not shared between threads.
class FastRandom {
 public:
  explicit FastRandom(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [low, high] (low <= high).
  std::int64_t between(std::int64_t low, std::int64_t high);

 private:
  std::uint64_t state_[4];
};

// What expanding a template draws on: the run's shared sequence and the connection's generator.
// Every `{{seq}}` of one request gives the same number: call begin_request() before each request.
struct ExpansionContext {
  std::atomic<std::uint64_t>& sequence;
  FastRandom& random;
  std::uint64_t request_seq = 0;
  bool seq_drawn = false;

  void begin_request() { seq_drawn = false; }
  std::uint64_t seq();
};

class RequestTemplate {
 public:
  // Parses `text`; throws TemplateError for an unclosed `{{`, an unknown variable, a bad
  // `rand` range or a `var` that `variables` does not define.
  static RequestTemplate parse(std::string_view text, const Variables& variables);
  static RequestTemplate literal(std::string_view text);

  // Appends `other`'s parts (literal runs are merged).
  void append(const RequestTemplate& other);
  void append_literal(std::string_view text);

  // True when it has no per-request variable: literal_text() is all of it.
  bool is_literal() const;
  std::string literal_text() const;

  void expand(ExpansionContext& context, std::string& out) const;

 private:
  struct Part {
    enum class Kind { literal, seq, uuid, rand };
    Kind kind = Kind::literal;
    std::string text;
    std::int64_t low = 0;
    std::int64_t high = 0;
  };
  std::vector<Part> parts_;
};

// Appends a random UUID v4 ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx").
void append_uuid(FastRandom& random, std::string& out);

// Parses NAME=VALUE; throws TemplateError when there is no '=' or the name is empty.
std::pair<std::string, std::string> parse_variable(std::string_view assignment);

}  // namespace seoagents::loadgen
