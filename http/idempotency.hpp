// The idempotency stage of the pipeline (DESIGN.md, Stripe's semantics). A POST that carries
// `Idempotency-Key` claims the key for its account before the handler runs:
//   - same key, same request (method, target and body), completed → the stored response again,
//     with `Idempotent-Replayed: true`;
//   - same key, other request → 409 IDEMPOTENCY_KEY_REUSED;
//   - same key while the first request is still running → 409 IDEMPOTENCY_KEY_IN_USE.
// Only successful (2xx) responses are stored: a request that failed changed nothing, so it may
// be retried with the same key. Keys are kept 24 hours; other methods ignore the header.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/log.hpp"
#include "http/pipeline.hpp"
#include "storage/store.hpp"

namespace seoagents::http {

// Longest accepted key (Stripe's limit); keys are visible ASCII.
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

class IdempotencyStage : public Middleware {
 public:
  IdempotencyStage(storage::Store& store, Logger& logger) : store_(store), logger_(logger) {}

  asio::awaitable<Response> handle(RequestContext& context, const Route& route, Next next) override;

 private:
  // True at most once a minute: the claim that gets it also deletes expired keys.
  bool purge_due(std::int64_t now);
  // A POST with a valid key: claims it, then replays, refuses or runs the request.
  asio::awaitable<Response> handle_keyed(RequestContext& context, const Route& route, Next next,
                                         std::string key);
  asio::awaitable<Response> run_claimed(RequestContext& context, const Route& route, Next next,
                                        std::string key);

  storage::Store& store_;
  Logger& logger_;
  std::atomic<std::int64_t> last_purge_ms_{0};
};

}  // namespace seoagents::http
