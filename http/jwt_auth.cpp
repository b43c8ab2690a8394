// Bearer-token verification and the JWKS it reads (see jwt_auth.hpp).
#include "http/jwt_auth.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/crypto.hpp"

namespace seoagents::http {
namespace {

JwtOptions options_from(const Config::Jwt& config) {
  JwtOptions options;
  options.issuer = config.issuer;
  options.audience = config.audience;
  options.accept_access_tokens = config.accept_access_tokens;
  options.leeway_s = config.leeway.count();
  options.plan_claim = config.plan_claim;
  return options;
}

std::int64_t unix_now() {
  return unix_seconds(std::chrono::system_clock::now());
}

}  // namespace

JwtAuthority::JwtAuthority(const Config::Jwt& config, OutboundClient& outbound, Logger& logger,
                           Clock clock)
    : config_(config),
      options_(options_from(config)),
      outbound_(outbound),
      logger_(logger),
      clock_injected_(static_cast<bool>(clock)),
      clock_(clock ? std::move(clock) : Clock(unix_now)),
      keys_([this]() { return read_jwks_file(); },
            clock_injected_ ? JwksCache::Clock([this] { return clock_(); }) : JwksCache::Clock{}) {}

JwtAuthority::Shard& JwtAuthority::shard_for(const std::string& hash) {
  // The hash is hex of SHA-256: its first digit is as good a shard index as any.
  char first = hash.empty() ? '0' : hash[0];
  std::size_t index = first <= '9' ? static_cast<std::size_t>(first - '0')
                                   : static_cast<std::size_t>(first - 'a' + 10);
  return remembered_[index % remembered_.size()];
}

std::optional<Expected<VerifiedToken, JwtFailure>> JwtAuthority::recall(const std::string& hash,
                                                                        std::int64_t now) {
  Shard& shard = shard_for(hash);
  std::lock_guard lock(shard.mutex);
  auto it = shard.tokens.find(hash);
  if (it == shard.tokens.end()) return std::nullopt;
  if (now - it->second.verified_at >= kRememberSeconds) {
    shard.tokens.erase(it);
    return std::nullopt;
  }
  if (now > it->second.token.exp + options_.leeway_s) {
    shard.tokens.erase(it);
    JwtFailure expired;
    expired.error = JwtError::token_expired;
    expired.reason = "token expired (remembered)";
    return Expected<VerifiedToken, JwtFailure>(unexpected(expired));
  }
  return Expected<VerifiedToken, JwtFailure>(it->second.token);
}

void JwtAuthority::remember(const std::string& hash, const VerifiedToken& token, std::int64_t now) {
  Shard& shard = shard_for(hash);
  std::lock_guard lock(shard.mutex);
  // Bounded: a shard that fills up starts over rather than grow (tokens are verified again).
  if (shard.tokens.size() >= kMaxRememberedPerShard) shard.tokens.clear();
  shard.tokens.insert_or_assign(hash, Remembered{token, now});
}

Expected<std::string, std::string> JwtAuthority::read_jwks_file() const {
  if (config_.jwks_file.empty()) {
    return unexpected(std::string("the JWKS comes from a URL, fetched asynchronously"));
  }
  std::ifstream file(config_.jwks_file, std::ios::binary);
  if (!file) return unexpected("cannot read " + config_.jwks_file);
  std::ostringstream text;
  text << file.rdbuf();
  if (text.str().size() > kMaxJwksSize) return unexpected(config_.jwks_file + " is too large");
  return text.str();
}

void JwtAuthority::load() {
  if (config_.jwks_file.empty()) return;
  auto loaded = keys_.refresh();
  if (!loaded) throw std::runtime_error("--jwks-file: " + loaded.error());
  logger_.info("jwks_loaded", {{"source", config_.jwks_file},
                               {"keys", static_cast<std::uint64_t>(keys_.current()->size())}});
}

boost::asio::awaitable<bool> JwtAuthority::refresh_from_url() {
  OutboundRequest request;
  request.url = config_.jwks_url;
  request.headers.emplace_back("Accept", "application/json");
  auto response = co_await outbound_.send(std::move(request));
  Expected<std::string, std::string> document = unexpected(std::string());
  if (!response) {
    document = unexpected("fetching the JWKS failed: " + response.error().message);
  } else if (response->status != 200) {
    document = unexpected("fetching the JWKS answered HTTP " + std::to_string(response->status));
  } else {
    document = std::move(response->body);
  }
  auto installed = keys_.complete_refresh(std::move(document));
  if (!installed) {
    logger_.error("jwks_fetch_failed", {{"url", config_.jwks_url}, {"error", installed.error()}});
    co_return false;
  }
  logger_.info("jwks_loaded", {{"source", config_.jwks_url},
                               {"keys", static_cast<std::uint64_t>(keys_.current()->size())}});
  co_return *installed;
}

boost::asio::awaitable<Expected<VerifiedToken, JwtFailure>> JwtAuthority::verify(
    std::string token) {
  std::int64_t now = clock_();
  // Tokens over the size limit are refused by verify_jwt before any work; not hashed here.
  std::string hash = token.size() <= kMaxJwtSize ? sha256_hex(token) : std::string();
  if (!hash.empty()) {
    if (auto remembered = recall(hash, now)) co_return *remembered;
  }
  auto result = co_await verify_with_keys(token, now);
  if (result && !hash.empty()) remember(hash, *result, now);
  co_return result;
}

boost::asio::awaitable<Expected<VerifiedToken, JwtFailure>> JwtAuthority::verify_with_keys(
    const std::string& token, std::int64_t now) {
  auto result = verify_jwt(token, *keys_.current(), options_, now);
  if (result || !result.error().unknown_kid) co_return result;
  // An unknown kid: the keys may have been rotated. Refetch (at most once a minute) and retry.
  bool replaced = false;
  if (config_.jwks_file.empty()) {
    if (keys_.claim_refresh()) replaced = co_await refresh_from_url();
  } else {
    auto refreshed = keys_.refresh();
    replaced = refreshed && *refreshed;
    if (!refreshed) logger_.error("jwks_reload_failed", {{"error", refreshed.error()}});
  }
  if (replaced) result = verify_jwt(token, *keys_.current(), options_, now);
  co_return result;
}

}  // namespace seoagents::http
