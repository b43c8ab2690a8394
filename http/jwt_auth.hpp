// Bearer tokens: Cognito-compatible JWTs (RS256) verified against the configured key set — a
// JWKS file, or an https URL fetched on the first token and refetched when a token names an
// unknown kid, at most once a minute, with the outbound client (never blocking a loop thread).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/config.hpp"
#include "core/expected.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "core/log.hpp"
#include "core/outbound_client.hpp"

namespace seoagents::http {

class JwtAuthority {
 public:
  JwtAuthority(const Config::Jwt& config, OutboundClient& outbound, Logger& logger);

  // Reads the JWKS file now, so that a missing or malformed file stops the start (throws
  // std::runtime_error with the reason). A URL is fetched when the first token arrives.
  void load();

  // Verifies a token's signature and claims at the current time.
  boost::asio::awaitable<Expected<VerifiedToken, JwtFailure>> verify(std::string token);

  const JwtOptions& options() const { return options_; }

 private:
  // Fetches the JWKS URL and installs it; false when nothing new was installed.
  boost::asio::awaitable<bool> refresh_from_url();
  Expected<std::string, std::string> read_jwks_file() const;

  Config::Jwt config_;
  JwtOptions options_;
  OutboundClient& outbound_;
  Logger& logger_;
  JwksCache keys_;
};

}  // namespace seoagents::http
