// Authentication: the X-API-Key / Bearer stage of the pipeline and the cache it reads. A key
// (by its SHA-256) and a JWT subject's account are looked up in a per-loop cache (no lock on the
// hot path); a miss reads SQLite on the loop's own read connection. Revocation and plan changes
// made through this server invalidate every loop's cache at once; a change committed by another
// process (the CLI) empties a loop's cache within 100 ms (SQLite's data_version, read at most that
// often); entries are also re-checked after 10 s.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "core/rate_limiter.hpp"
#include "http/jwt_auth.hpp"
#include "http/pipeline.hpp"
#include "storage/store.hpp"

namespace seoagents::http {

// What authentication reads on every request, cached per loop: API keys by the SHA-256 of the
// raw key, and the accounts of JWT subjects. Both are read again after 10 s, and at once when
// this process changed a key or a plan (invalidate()) or another process (the CLI) committed
// anything to the database (SQLite's data_version, looked at every 100 ms).
class CredentialCache {
 public:
  // What authentication needs to know of a valid key or a known subject.
  struct Entry {
    // Empty for a subject.
    std::string key_id;
    std::string account_id;
    storage::Plan plan = storage::Plan::starter;
    storage::PlanLimits limits{};
    // When this entry was read from the database (ms since the epoch).
    std::int64_t checked_at = 0;
    // When this loop last recorded the key's use.
    std::int64_t touched_at = 0;
  };

  // `loops`: the number of loop threads (each gets a cache of its own).
  CredentialCache(storage::Store& store, unsigned loops);

  // The valid (known, not revoked) key with this hash, or nullopt. `touch` is set when the caller
  // should record the key's use (at most once a minute per key and loop).
  std::optional<Entry> lookup_key(std::string_view key_hash, std::int64_t now, bool& touch);

  // The account of JWT subject `sub`, or nullopt while it has none (its first token creates
  // it; unknown subjects are not cached).
  std::optional<Entry> lookup_subject(std::string_view sub, std::int64_t now);

  // Forgets every cached entry on every loop (after a revocation or a plan change).
  void invalidate() { generation_.fetch_add(1, std::memory_order_release); }

 private:
  // Looked up by string_view: the request's key hash is never copied into a string.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using Entries = std::unordered_map<std::string, Entry, TextHash, std::equal_to<>>;
  struct alignas(64) Shard {
    // Keys by the SHA-256 hex of the raw key; JWT subjects by `sub`.
    Entries keys;
    Entries subjects;
    std::uint64_t generation = 0;
    // SQLite's data_version as this shard last saw it, and when it looked (ms).
    std::int64_t data_version = -1;
    std::int64_t data_version_checked_at = 0;
    void forget_all() {
      keys.clear();
      subjects.clear();
    }
  };
  using Reader = std::function<std::optional<Entry>(storage::Connection&)>;

  // Runs `find` on this thread's shard (under a mutex off the loop threads).
  template <class Find>
  auto on_shard(Find find);
  // Empties the shard when the database changed since it last looked (checked every 100 ms):
  // revocations and plan changes made by another process (the CLI) apply within that time.
  void forget_if_database_changed(Shard& shard, std::int64_t now);
  // The fresh entry for `cache_key` in `entries` (one of `shard`'s maps), or what `read` finds
  // (then cached); nullptr when `read` finds nothing.
  Entry* cached(Shard& shard, Entries& entries, std::string_view cache_key, std::int64_t now,
                const Reader& read);

  storage::Store& store_;
  // One shard per loop thread, plus a last one (under a mutex) for any other thread.
  std::vector<Shard> shards_;
  std::mutex other_threads_mutex_;
  std::atomic<std::uint64_t> generation_{1};
};

// Failed authentication attempts allowed per client address and minute; beyond, 429.
inline constexpr std::int64_t kFailedAuthPerMinute = 30;

// The authentication stage: `Authorization: Bearer <JWT>` (when JWT is configured) or
// `X-API-Key`; with both, Authorization is used. On WebSocket routes, without either header,
// `?token=` (a JWT, or an API key) or `?api_key=` in the query string. A token's subject maps to an
// account, created by its first valid token. Failed attempts count against the client address in
// `limiter` (keys "auth-failure:<address>"), so a loop of bad credentials gets 429 RATE_LIMITED
// rather than endless 401s.
class Authenticator : public Middleware {
 public:
  // `jwt` is null when bearer tokens are not configured (they are then refused).
  Authenticator(CredentialCache& cache, storage::Store& store, RateLimiter& limiter,
                JwtAuthority* jwt, Logger& logger)
      : cache_(cache), store_(store), limiter_(limiter), jwt_(jwt), logger_(logger) {}

  asio::awaitable<Response> handle(RequestContext& context, const Route& route, Next next) override;

 private:
  asio::awaitable<Response> authenticate_api_key(RequestContext& context, const Route& route,
                                                 Next next, std::string_view raw_key);
  asio::awaitable<Response> authenticate_bearer(RequestContext& context, const Route& route,
                                                Next next, std::string_view authorization);
  asio::awaitable<Response> authenticate_token(RequestContext& context, const Route& route,
                                               Next next, std::string_view token);
  // A WebSocket upgrade without credential headers: the subprotocol credential, or the query's.
  asio::awaitable<Response> authenticate_upgrade(RequestContext& context, const Route& route,
                                                 Next next);
  // The subject's account, created on its first token with the token's plan claim.
  asio::awaitable<Expected<CredentialCache::Entry, ApiError>> subject_account(
      const VerifiedToken& token, std::string_view request_id);
  // The 401 for `error`, or a 429 once the address has failed too often.
  Response refuse(RequestContext& context, const ApiError& error);

  CredentialCache& cache_;
  storage::Store& store_;
  RateLimiter& limiter_;
  JwtAuthority* jwt_;
  Logger& logger_;
};

}  // namespace seoagents::http
