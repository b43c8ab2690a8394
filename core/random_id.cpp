// Random identifiers. Request ids need uniqueness, not secrecy, and one is made per request, so
// they come from a per-thread xoshiro256** generator seeded once from the CSPRNG.
#include "core/random_id.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace seoagents {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

class Xoshiro256 {
 public:
  Xoshiro256() {
    secure_random_bytes(std::span(reinterpret_cast<unsigned char*>(state_.data()), sizeof(state_)));
  }
  std::uint64_t next() {
    std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

// Writes the low `digits` hex digits of `bits` at `out`; returns the position after them.
char* write_hex(char* out, std::uint64_t bits, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    *out++ = kHexDigits[(bits >> (i * 4)) & 0xF];
  }
  return out;
}

}  // namespace

void secure_random_bytes(std::span<unsigned char> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure randomness available");
  }
}

std::string secure_random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  secure_random_bytes(std::span(reinterpret_cast<unsigned char*>(raw.data()), raw.size()));
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char c : raw) {
    hex += kHexDigits[c >> 4];
    hex += kHexDigits[c & 0xF];
  }
  return hex;
}

std::string make_request_id() {
  thread_local Xoshiro256 generator;
  std::uint64_t a = generator.next();
  std::uint64_t b = generator.next();
  // "req-" 8 hex "-" 4 hex "-" 4 hex "-" 4 hex: 27 characters, written in place.
  std::string id(27, '-');
  char* at = id.data();
  at = std::copy_n("req-", 4, at);
  at = write_hex(at, a >> 32, 8) + 1;
  at = write_hex(at, a >> 16, 4) + 1;
  at = write_hex(at, a, 4) + 1;
  write_hex(at, b, 4);
  return id;
}

}  // namespace seoagents
