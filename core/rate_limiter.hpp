// Per-key rate limiting (GCRA) for the request path: one atomic per key, a bounded sharded table,
// no mutex when an existing key is checked. Used for the per-plan limits of API keys and JWTs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace seoagents {

// The verdict on one request, with what the X-RateLimit-* and Retry-After headers show.
struct RateDecision {
  // Whether the request may proceed.
  bool allowed = false;
  // The requests-per-minute limit it was checked against (X-RateLimit-Limit).
  std::int64_t limit = 0;
  // Requests that would still be allowed right now, after this one (X-RateLimit-Remaining).
  std::int64_t remaining = 0;
  // Unix second by which the whole allowance is restored (X-RateLimit-Reset), rounded up.
  std::int64_t reset_epoch_seconds = 0;
  // Whole seconds until the next request is allowed (Retry-After): >= 1 when refused, else 0.
  std::int64_t retry_after_seconds = 0;
};

// Nanoseconds since the Unix epoch. It should not go backwards: an earlier time only makes the
// limiter stricter until the clock catches up.
using RateClock = std::function<std::int64_t()>;

// Wall-clock time that never goes backwards: the system clock read once, advanced by the steady
// clock. X-RateLimit-Reset needs the epoch; GCRA needs monotonic time.
RateClock monotonic_epoch_clock();

struct RateLimiterOptions {
  // Keys the table can hold (rounded up to a power of two). Size it at about twice the number of
  // keys active in any one minute: keys idle for their whole allowance are reused in place.
  std::size_t capacity = std::size_t{1} << 17;
  // Independent parts of the table (rounded up to a power of two); a new key locks only its own.
  std::size_t shards = 64;
};

// A limit of N requests per minute is GCRA with an emission interval of 60 s / N and a burst of
// N: a fresh key may spend its whole minute at once, then earns one request per interval.
//
// The state of a key is one std::atomic<int64_t>, its theoretical arrival time (TAT, ns): the
// instant at which its allowance is full again. A check reads it and, if allowed, advances it
// with compare_exchange in a loop, so concurrent checks of one key each take exactly one request.
// The limit is passed on every check and applies at once: the TAT says how much of the minute is
// spent whatever the limit, so a new limit allows its share of what is left, never more than its
// own burst at once, and a refused key never waits more than about one interval of the new limit.
//
// The table: `shards` fixed arrays of slots with linear probing over a window of up to 32 slots.
// A slot is {128-bit seeded fingerprint of the key, TAT}. Checking a key already in the table
// takes no lock: find its fingerprint, then update its TAT. A new key takes its shard's mutex to
// claim a slot, so one key never gets two slots. Slots are never emptied: a slot whose TAT is in
// the past (a full allowance, the same as a fresh key) is reused for a new key in place. When the
// whole window is busy, the request is allowed without state (fail open, counted by untracked()):
// there are more active keys than the table was sized for, and refusing them would punish
// clients that did nothing wrong.
//
// Thread safety: every member may be called from any thread at the same time.
class RateLimiter {
 public:
  explicit RateLimiter(RateClock clock = monotonic_epoch_clock(), RateLimiterOptions options = {});
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Counts one request of `key` against `requests_per_minute` (>= 1; larger than 10^9 is taken
  // as 10^9) and says whether it may proceed.
  RateDecision check(std::string_view key, std::int64_t requests_per_minute);

  // Keys that hold a slot (some of them idle): never more than capacity().
  std::size_t size() const;
  std::size_t capacity() const;
  // Requests allowed without state because their key found no free slot (see above).
  std::uint64_t untracked() const;

 private:
  struct Table;
  RateClock clock_;
  std::unique_ptr<Table> table_;
};

}  // namespace seoagents
