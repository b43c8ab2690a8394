// Parsing and expansion of request templates (see request_template.hpp).
#include "tools/loadgen/request_template.hpp"

#include <charconv>

namespace seoagents::loadgen {
namespace {

std::uint64_t rotate_left(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::int64_t parse_integer(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw TemplateError(std::string(what) + ": '" + std::string(text) + "' is not an integer");
  }
  return value;
}

void append_number(std::uint64_t value, std::string& out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void append_signed(std::int64_t value, std::string& out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

FastRandom::FastRandom(std::uint64_t seed) {
  for (auto& word : state_)
    word = splitmix(seed);
}

std::uint64_t FastRandom::next() {
  std::uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
  std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotate_left(state_[3], 45);
  return result;
}

std::int64_t FastRandom::between(std::int64_t low, std::int64_t high) {
  std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low) + 1;
  if (span == 0) return static_cast<std::int64_t>(next());  // the whole 64-bit range
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + next() % span);
}

std::uint64_t ExpansionContext::seq() {
  if (!seq_drawn) {
    request_seq = sequence.fetch_add(1, std::memory_order_relaxed);
    seq_drawn = true;
  }
  return request_seq;
}

void append_uuid(FastRandom& random, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t high = random.next();
  std::uint64_t low = random.next();
  high = (high & ~0xf000ull) | 0x4000ull;      // version 4
  low = (low & ~(3ull << 62)) | (2ull << 62);  // variant 10
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
}

std::pair<std::string, std::string> parse_variable(std::string_view assignment) {
  auto equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw TemplateError("expected NAME=VALUE, got '" + std::string(assignment) + "'");
  }
  return {std::string(assignment.substr(0, equals)), std::string(assignment.substr(equals + 1))};
}

RequestTemplate RequestTemplate::literal(std::string_view text) {
  RequestTemplate result;
  result.append_literal(text);
  return result;
}

RequestTemplate RequestTemplate::parse(std::string_view text, const Variables& variables) {
  RequestTemplate result;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      result.append_literal(text.substr(at));
      break;
    }
    result.append_literal(text.substr(at, open - at));
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      throw TemplateError("'{{' without a closing '}}'");
    }
    std::string_view name = text.substr(open + 2, close - open - 2);
    at = close + 2;
    Part part;
    if (name == "seq") {
      part.kind = Part::Kind::seq;
    } else if (name == "uuid") {
      part.kind = Part::Kind::uuid;
    } else if (name.starts_with("rand:")) {
      std::string_view range = name.substr(5);
      auto colon = range.find(':');
      if (colon == std::string_view::npos) throw TemplateError("expected {{rand:A:B}}");
      part.kind = Part::Kind::rand;
      part.low = parse_integer(range.substr(0, colon), "rand");
      part.high = parse_integer(range.substr(colon + 1), "rand");
      if (part.low > part.high) throw TemplateError("{{rand:A:B}} needs A <= B");
    } else if (name.starts_with("var:")) {
      auto found = variables.find(name.substr(4));
      if (found == variables.end()) {
        throw TemplateError("variable '" + std::string(name.substr(4)) +
                            "' is not defined (--var or --var-file)");
      }
      result.append_literal(found->second);
      continue;
    } else {
      throw TemplateError("unknown template variable '{{" + std::string(name) + "}}'");
    }
    result.parts_.push_back(std::move(part));
  }
  return result;
}

void RequestTemplate::append_literal(std::string_view text) {
  if (text.empty()) return;
  if (!parts_.empty() && parts_.back().kind == Part::Kind::literal) {
    parts_.back().text.append(text);
    return;
  }
  Part part;
  part.text.assign(text);
  parts_.push_back(std::move(part));
}

void RequestTemplate::append(const RequestTemplate& other) {
  for (const Part& part : other.parts_) {
    if (part.kind == Part::Kind::literal) {
      append_literal(part.text);
    } else {
      parts_.push_back(part);
    }
  }
}

bool RequestTemplate::is_literal() const {
  for (const Part& part : parts_) {
    if (part.kind != Part::Kind::literal) return false;
  }
  return true;
}

std::string RequestTemplate::literal_text() const {
  std::string text;
  for (const Part& part : parts_)
    text.append(part.text);
  return text;
}

void RequestTemplate::expand(ExpansionContext& context, std::string& out) const {
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Part::Kind::literal:
        out.append(part.text);
        break;
      case Part::Kind::seq:
        append_number(context.seq(), out);
        break;
      case Part::Kind::uuid:
        append_uuid(context.random, out);
        break;
      case Part::Kind::rand:
        append_signed(context.random.between(part.low, part.high), out);
        break;
    }
  }
}

}  // namespace seoagents::loadgen
