// Authentication (API keys, JWTs) and the per-loop cache of credentials it reads.
#include "http/auth.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/crypto.hpp"
#include "core/loop_pool.hpp"
#include "http/rate_limit.hpp"
#include "http/request_body.hpp"
#include "http/resources.hpp"
#include "http/websocket_handshake.hpp"

namespace seoagents::http {
namespace {

// Re-read a cached key from the database after this long.
constexpr std::int64_t kEntryLifetimeMs = 10'000;
// Look for changes committed by other connections (the CLI) this often.
constexpr std::int64_t kDataVersionCheckMs = 100;
constexpr std::string_view kDataVersion = "PRAGMA data_version";
// Record a key's use at most this often (per loop).
constexpr std::int64_t kTouchIntervalMs = 60'000;
// A shard that grows past this is emptied rather than allowed to grow without bound.
constexpr std::size_t kMaxEntriesPerShard = 100'000;
// Anything longer cannot be one of our keys ("sak_" + 43 base62 characters).
constexpr std::size_t kMaxApiKeyLength = 64;

ApiError unauthorized() {
  return {bhttp::status::unauthorized,
          "UNAUTHORIZED",
          "Missing credentials: send X-API-Key: sak_... or Authorization: Bearer <id_token>",
          {}};
}

ApiError invalid_api_key() {
  return {bhttp::status::unauthorized,
          "INVALID_API_KEY",
          "The API key is not valid: unknown or revoked",
          {}};
}

ApiError malformed_authorization() {
  return {bhttp::status::unauthorized,
          "INVALID_TOKEN",
          "The Authorization header must be: Bearer <token>",
          {}};
}

// Never says which check failed: that is for the log.
ApiError token_error(const JwtFailure& failure) {
  if (failure.error == JwtError::token_expired) {
    return {bhttp::status::unauthorized, "TOKEN_EXPIRED", "The token has expired", {}};
  }
  return {bhttp::status::unauthorized, "INVALID_TOKEN", "The token is not valid", {}};
}

// The token of "Bearer <token>" (the scheme in any case, RFC 9110), or nullopt.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  if (token.empty() || token.find(' ') != std::string_view::npos) return std::nullopt;
  return token;
}

ApiError bearer_not_configured() {
  return {bhttp::status::unauthorized,
          "INVALID_TOKEN",
          "Bearer tokens are not accepted by this server; use X-API-Key",
          {}};
}

}  // namespace

CredentialCache::CredentialCache(storage::Store& store, unsigned loops)
    : store_(store), shards_(loops + 1) {}

template <class Find>
auto CredentialCache::on_shard(Find find) {
  int loop = LoopPool::current_index();
  if (loop >= 0 && static_cast<std::size_t>(loop) + 1 < shards_.size()) {
    return find(shards_[static_cast<std::size_t>(loop)]);
  }
  std::lock_guard lock(other_threads_mutex_);
  return find(shards_.back());
}

void CredentialCache::forget_if_database_changed(Shard& shard, std::int64_t now) {
  if (now - shard.data_version_checked_at < kDataVersionCheckMs) return;
  shard.data_version_checked_at = now;
  storage::Query query = store_.reader().query(kDataVersion);
  query->step();
  std::int64_t version = query->integer(0);
  if (version != shard.data_version) {
    shard.forget_all();
    shard.data_version = version;
  }
}

CredentialCache::Entry* CredentialCache::cached(Shard& shard, Entries& entries,
                                                std::string_view cache_key, std::int64_t now,
                                                const Reader& read) {
  forget_if_database_changed(shard, now);
  std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (shard.generation != generation || entries.size() > kMaxEntriesPerShard) {
    shard.forget_all();
    shard.generation = generation;
  }
  auto it = entries.find(cache_key);
  if (it != entries.end() && now - it->second.checked_at <= kEntryLifetimeMs) {
    return &it->second;
  }
  auto entry = read(store_.reader());
  if (!entry) {
    if (it != entries.end()) entries.erase(it);
    return nullptr;  // unknown keys are not cached: random keys cannot fill the cache
  }
  entry->checked_at = now;
  if (it != entries.end()) entry->touched_at = it->second.touched_at;
  return &entries.insert_or_assign(std::string(cache_key), std::move(*entry)).first->second;
}

std::optional<CredentialCache::Entry> CredentialCache::lookup_key(std::string_view key_hash,
                                                                  std::int64_t now, bool& touch) {
  auto read = [key_hash](storage::Connection& db) -> std::optional<Entry> {
    auto key = storage::find_api_key_by_hash(db, key_hash);
    auto account = key ? storage::find_account(db, key->account_id) : std::nullopt;
    if (!key || key->revoked_at || !account) return std::nullopt;
    return Entry{key->id, key->account_id, account->plan, account->limits, 0, 0};
  };
  return on_shard([&](Shard& shard) -> std::optional<Entry> {
    Entry* entry = cached(shard, shard.keys, key_hash, now, read);
    if (entry == nullptr) return std::nullopt;
    touch = now - entry->touched_at >= kTouchIntervalMs;
    if (touch) entry->touched_at = now;
    return *entry;
  });
}

std::optional<CredentialCache::Entry> CredentialCache::lookup_subject(std::string_view sub,
                                                                      std::int64_t now) {
  auto read = [sub](storage::Connection& db) -> std::optional<Entry> {
    auto account = storage::find_account_by_subject(db, sub);
    if (!account) return std::nullopt;
    return Entry{std::string(), account->id, account->plan, account->limits, 0, 0};
  };
  return on_shard([&](Shard& shard) -> std::optional<Entry> {
    Entry* entry = cached(shard, shard.subjects, sub, now, read);
    if (entry == nullptr) return std::nullopt;
    return *entry;
  });
}

Response Authenticator::refuse(RequestContext& context, const ApiError& error) {
  std::string key = "auth-failure:";
  key.append(context.connection.remote_address);
  RateDecision decision = limiter_.check(key, kFailedAuthPerMinute);
  if (!decision.allowed) return rate_limited_response(context, decision);
  return error_response(context, error);
}

// Not a coroutine (see Middleware): it only picks how the request authenticates.
asio::awaitable<Response> Authenticator::handle(RequestContext& context, const Route& route,
                                                Next next) {
  const Request& request = context.request;
  // With both headers, Authorization wins (README: Authentication).
  auto authorization = request.find(bhttp::field::authorization);
  if (authorization != request.end()) {
    return authenticate_bearer(context, route, next, authorization->value());
  }
  auto api_key = request.find("X-API-Key");
  if (api_key != request.end()) {
    return authenticate_api_key(context, route, next, api_key->value());
  }
  if (route.access == Access::websocket) {
    return authenticate_upgrade(context, route, next);
  }
  return answer_now(refuse(context, unauthorized()));
}

// Browsers cannot set headers on a WebSocket: the upgrade may carry the credential as the
// subprotocol "seoagents.auth.<key or JWT>" (http/websocket_handshake.hpp), or ?token=<JWT>
// (or an API key there) or ?api_key=<key> in the query.
asio::awaitable<Response> Authenticator::authenticate_upgrade(RequestContext& context,
                                                              const Route& route, Next next) {
  if (auto credential = protocol_credential(context.request)) {
    if (credential->starts_with("sak_")) {
      co_return co_await authenticate_api_key(context, route, next, *credential);
    }
    co_return co_await authenticate_token(context, route, next, *credential);
  }
  if (auto token = query_parameter(context.query, "token")) {
    if (token->starts_with("sak_")) {
      co_return co_await authenticate_api_key(context, route, next, *token);
    }
    co_return co_await authenticate_token(context, route, next, *token);
  }
  if (auto key = query_parameter(context.query, "api_key")) {
    co_return co_await authenticate_api_key(context, route, next, *key);
  }
  co_return refuse(context, unauthorized());
}

asio::awaitable<Response> Authenticator::authenticate_api_key(RequestContext& context,
                                                              const Route& route, Next next,
                                                              std::string_view raw_key) {
  if (!raw_key.starts_with("sak_") || raw_key.size() > kMaxApiKeyLength) {
    co_return refuse(context, invalid_api_key());
  }
  Sha256Hex key_hash = sha256_hex_digits(raw_key);
  std::int64_t now = storage::now_ms();
  bool touch = false;
  auto entry = cache_.lookup_key(key_hash.view(), now, touch);
  if (!entry) co_return refuse(context, invalid_api_key());
  if (touch) {
    // Recording use must not delay the request: it is written in the background.
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(
        executor,
        [&store = store_, key_id = entry->key_id, now]() -> asio::awaitable<void> {
          co_await store.write<Done>([&key_id, now](storage::Connection& db) {
            storage::touch_api_key(db, key_id, now);
            return Done{};
          });
        },
        asio::detached);
  }
  // Per key, by its id: short enough to be stored without an allocation.
  std::string limit_key = "k:";
  limit_key.append(entry->key_id);
  context.principal =
      Principal{entry->account_id, entry->key_id, entry->plan, entry->limits, std::move(limit_key)};
  co_return co_await next(context, route);
}

asio::awaitable<Response> Authenticator::authenticate_bearer(RequestContext& context,
                                                             const Route& route, Next next,
                                                             std::string_view authorization) {
  if (jwt_ == nullptr) co_return refuse(context, bearer_not_configured());
  std::optional<std::string_view> token = bearer_token(authorization);
  if (!token) co_return refuse(context, malformed_authorization());
  co_return co_await authenticate_token(context, route, next, *token);
}

asio::awaitable<Response> Authenticator::authenticate_token(RequestContext& context,
                                                            const Route& route, Next next,
                                                            std::string_view token) {
  if (jwt_ == nullptr) co_return refuse(context, bearer_not_configured());
  auto verified = co_await jwt_->verify(std::string(token));
  if (!verified) {
    logger_.debug("token_refused",
                  {{"request_id", context.request_id}, {"reason", verified.error().reason}});
    co_return refuse(context, token_error(verified.error()));
  }
  auto account = co_await subject_account(*verified, context.request_id);
  if (!account) co_return error_response(context, account.error());
  std::string limit_key = "sub:";
  limit_key.append(verified->sub);
  context.principal = Principal{std::move(account->account_id), std::string(), account->plan,
                                account->limits, std::move(limit_key)};
  co_return co_await next(context, route);
}

asio::awaitable<Expected<CredentialCache::Entry, ApiError>> Authenticator::subject_account(
    const VerifiedToken& token, std::string_view request_id) {
  if (auto known = cache_.lookup_subject(token.sub, storage::now_ms())) co_return *known;
  storage::Plan plan = token.plan
                           ? storage::parse_plan(*token.plan).value_or(storage::Plan::starter)
                           : storage::Plan::starter;
  const std::string& sub = token.sub;
  auto created = co_await store_.write<storage::Account>([&sub, plan](storage::Connection& db) {
    return storage::create_subject_account(db, sub, plan);
  });
  if (!created) co_return unexpected(storage_failure(created.error(), logger_, request_id));
  logger_.info("jwt_account_created", {{"account", created->id}, {"plan", to_string(plan)}});
  co_return CredentialCache::Entry{std::string(),   created->id, created->plan,
                                   created->limits, 0,           0};
}

}  // namespace seoagents::http
