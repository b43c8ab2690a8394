// Identifiers: request ids from a fast per-thread generator, and resource ids and secrets from
// OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace seoagents {

// "req-1a2b3c4d-5e6f-7a8b-9c0d": unique per request, not a secret.
std::string make_request_id();

// Fills `out` from OpenSSL's CSPRNG; throws std::runtime_error if it cannot (never silently weak).
void secure_random_bytes(std::span<unsigned char> out);

// `bytes` random bytes from the CSPRNG as lowercase hex (2 * bytes characters).
std::string secure_random_hex(std::size_t bytes);

}  // namespace seoagents
