// Bearer tokens: Cognito-compatible JWTs (RS256) verified against the configured key set — a
// JWKS file, or an https URL fetched on the first token and refetched when a token names an
// unknown kid, at most once a minute, with the outbound client (never blocking a loop thread).
//
// A token that verified is remembered (by its SHA-256) for up to 5 minutes, so a client that
// sends the same token on every request pays the RSA verification once: a remembered token is
// still refused once its `exp` (plus leeway) has passed. The price: a key removed from the JWKS
// stops accepting its tokens only when they leave this cache (at most 5 minutes).
#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/config.hpp"
#include "core/expected.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "core/log.hpp"
#include "core/outbound_client.hpp"

namespace seoagents::http {

class JwtAuthority {
 public:
  // Unix seconds now; tests inject their own.
  using Clock = std::function<std::int64_t()>;

  JwtAuthority(const Config::Jwt& config, OutboundClient& outbound, Logger& logger,
               Clock clock = {});

  // Reads the JWKS file now, so that a missing or malformed file stops the start (throws
  // std::runtime_error with the reason). A URL is fetched when the first token arrives.
  void load();

  // Verifies a token's signature and claims at the current time.
  boost::asio::awaitable<Expected<VerifiedToken, JwtFailure>> verify(std::string token);

  const JwtOptions& options() const { return options_; }

  // How long a verified token is remembered at most, and how many per shard.
  static constexpr std::int64_t kRememberSeconds = 300;
  static constexpr std::size_t kMaxRememberedPerShard = 10'000;

 private:
  struct Remembered {
    VerifiedToken token;
    // When it was verified (Unix seconds).
    std::int64_t verified_at = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Remembered> tokens;
  };

  // The remembered verification of the token with this hash, if still usable at `now`.
  std::optional<Expected<VerifiedToken, JwtFailure>> recall(const std::string& hash,
                                                            std::int64_t now);
  void remember(const std::string& hash, const VerifiedToken& token, std::int64_t now);
  Shard& shard_for(const std::string& hash);

  // verify_jwt against the current keys, refetching them once on an unknown kid.
  boost::asio::awaitable<Expected<VerifiedToken, JwtFailure>> verify_with_keys(
      const std::string& token, std::int64_t now);
  // Fetches the JWKS URL and installs it; false when nothing new was installed.
  boost::asio::awaitable<bool> refresh_from_url();
  Expected<std::string, std::string> read_jwks_file() const;

  Config::Jwt config_;
  JwtOptions options_;
  OutboundClient& outbound_;
  Logger& logger_;
  // With an injected clock, the JWKS refetch interval runs on it too (tests); otherwise on the
  // steady clock.
  bool clock_injected_;
  Clock clock_;
  JwksCache keys_;
  std::array<Shard, 16> remembered_;
};

}  // namespace seoagents::http
