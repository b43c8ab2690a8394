// GCRA per key on one atomic TAT, in a bounded sharded table whose existing keys are checked
// without a lock. The header says what the limiter promises; this file says why it holds.
//
// Memory ordering, in short. A slot is {key words, TAT}. Its key changes only under its shard's
// mutex, and only while its TAT holds kSlotInTransition (a seqlock whose version is the TAT):
//   writer: TAT: idle value -> kSlotInTransition (CAS), key stores (release),
//           TAT store (release) of a value larger than any the slot held before.
//   reader: TAT load (acquire), key loads (acquire), then either a CAS of that TAT (allowed) or a
//           TAT re-load that must be unchanged (refused). A reader that sees a new key word thus
//           also sees kSlotInTransition or later in the re-load or the CAS, never the old TAT.
// Every TAT written to a slot, bar the transition mark, is larger than the one before
// (max(tat, now) + interval > tat; a reused slot gets now + interval > its idle TAT <= now), so a
// TAT value never comes back: if it is unchanged, nobody wrote the slot in between, so the key the
// reader saw was the owner throughout.
#include "core/rate_limiter.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <utility>

#include "core/random_id.hpp"

namespace seoagents {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerMinute = 60 * kNanosPerSecond;
// Keeps the emission interval at 60 ns or more.
constexpr std::int64_t kMaxRequestsPerMinute = 1'000'000'000;
// Slots a key may live in, from its home slot on: bounds every lookup.
constexpr std::size_t kProbeWindow = 32;
// The TAT of a slot that has no key yet or whose key is being replaced: readers step aside.
constexpr std::int64_t kSlotInTransition = std::numeric_limits<std::int64_t>::min();

// A limit as GCRA parameters.
struct Gcra {
  // Requests per minute, clamped to [1, kMaxRequestsPerMinute].
  std::int64_t limit;
  // Nanoseconds one request costs: 60 s / limit.
  std::int64_t interval;
  // How far the TAT may run ahead of now: limit * interval (<= 60 s, so exactly `limit` fit).
  std::int64_t burst_window;
};

Gcra gcra_for(std::int64_t requests_per_minute) {
  assert(requests_per_minute >= 1);
  const std::int64_t limit =
      std::clamp<std::int64_t>(requests_per_minute, 1, kMaxRequestsPerMinute);
  const std::int64_t interval = kNanosPerMinute / limit;
  return {limit, interval, limit * interval};
}

// Rounds towards +infinity; `divisor` > 0.
std::int64_t ceil_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  return value % divisor > 0 ? quotient + 1 : quotient;
}

// The headers' view of a key whose TAT is `tat` (>= now) after this request.
RateDecision describe(bool allowed, std::int64_t tat, std::int64_t now, const Gcra& gcra) {
  RateDecision decision;
  decision.allowed = allowed;
  decision.limit = gcra.limit;
  // Refused means not even one more interval fits, so nothing remains (and no division is due).
  decision.remaining = allowed ? (gcra.burst_window - (tat - now)) / gcra.interval : 0;
  decision.reset_epoch_seconds = ceil_div(tat, kNanosPerSecond);
  const std::int64_t next_allowed_at = tat + gcra.interval - gcra.burst_window;
  decision.retry_after_seconds = allowed ? 0 : ceil_div(next_allowed_at - now, kNanosPerSecond);
  return decision;
}

// GCRA on one TAT: the decision, and the TAT to store if it allows.
struct Outcome {
  RateDecision decision;
  std::int64_t new_tat;
};

Outcome decide(std::int64_t tat, std::int64_t now, const Gcra& gcra) {
  const std::int64_t start = std::max(tat, now);  // an idle key counts from now, not its past
  const std::int64_t next_tat = start + gcra.interval;
  if (next_tat - now <= gcra.burst_window) return {describe(true, next_tat, now, gcra), next_tat};
  return {describe(false, start, now, gcra), tat};
}

// A fresh key's first request: always allowed (one interval always fits the burst window).
Outcome first_request(std::int64_t now, const Gcra& gcra) {
  return decide(now, now, gcra);
}

// 128 bits of a seeded hash of the key; {0, 0} marks an empty slot and is never a fingerprint.
struct Fingerprint {
  std::uint64_t high;
  std::uint64_t low;
};

// MurmurHash3's 64-bit finaliser: a bijection in which every input bit flips every output bit
// with probability about 1/2.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

__extension__ using Uint128 = unsigned __int128;

// The 128-bit product folded to 64 bits (wyhash's "mum"): one multiply mixes 16 bytes.
std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

// Up to 16 bytes of `key` from its start as two words, zero-padded (the length is hashed too).
std::pair<std::uint64_t, std::uint64_t> next_block(std::string_view& key) {
  std::uint64_t words[2] = {0, 0};
  if (key.size() >= sizeof(words)) {
    std::memcpy(words, key.data(), sizeof(words));  // a constant size: two plain loads
  } else {
    std::memcpy(words, key.data(), key.size());
  }
  key.remove_prefix(std::min(key.size(), sizeof(words)));
  return {words[0], words[1]};
}

// Two independently seeded lanes, interleaved so the CPU runs them side by side. Not
// cryptographic: the random seeds make collisions and crafted hot spots unpredictable.
Fingerprint fingerprint_of(std::string_view key, std::uint64_t seed_high, std::uint64_t seed_low) {
  constexpr std::uint64_t kHighOdd = 0xa0761d6478bd642fULL;  // wyhash's constants
  constexpr std::uint64_t kLowOdd = 0xe7037ed1a0b428dbULL;
  std::uint64_t high = seed_high ^ key.size();
  std::uint64_t low = seed_low ^ key.size();
  while (!key.empty()) {
    const auto [first, second] = next_block(key);
    high = fold_multiply(first ^ kHighOdd, second ^ high);
    low = fold_multiply(first ^ kLowOdd, second ^ low);
  }
  high = mix(high);
  low = mix(low);
  return {high, low | 1};  // low != 0: a key is never the empty mark
}

// Fields are atomics because the owner of a slot can change while other threads read it.
struct alignas(32) Slot {
  std::atomic<std::uint64_t> key_high{0};
  std::atomic<std::uint64_t> key_low{0};
  std::atomic<std::int64_t> tat{kSlotInTransition};

  bool is_empty() const { return key_low.load(std::memory_order_relaxed) == 0; }

  // Acquire: pairs with the release stores in publish() (see the top of the file).
  bool holds(const Fingerprint& key) const {
    return key_low.load(std::memory_order_acquire) == key.low &&
           key_high.load(std::memory_order_acquire) == key.high;
  }
};

// Whether nobody wrote the slot since its TAT was read as `tat` (values never come back).
bool tat_unchanged(const Slot& slot, std::int64_t tat) {
  return slot.tat.load(std::memory_order_acquire) == tat;
}

// The lock-free check of a key found in `slot`; nullopt when the slot turns out not to be the
// key's (any more), or is in transition: then the caller asks again under the shard's mutex.
std::optional<RateDecision> update(Slot& slot, const Fingerprint& key, std::int64_t now,
                                   const Gcra& gcra) {
  std::int64_t tat = slot.tat.load(std::memory_order_acquire);
  while (true) {
    if (tat == kSlotInTransition || !slot.holds(key)) return std::nullopt;
    const Outcome outcome = decide(tat, now, gcra);
    if (!outcome.decision.allowed) {
      if (tat_unchanged(slot, tat)) return outcome.decision;
      tat = slot.tat.load(std::memory_order_acquire);
      continue;
    }
    // On failure `tat` is reloaded (acquire) and the loop checks the key again.
    if (slot.tat.compare_exchange_weak(tat, outcome.new_tat, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
      return outcome.decision;
    }
  }
}

// Takes a slot whose TAT is in the past (its key idle, as good as fresh); fails if its key was
// used meanwhile.
bool try_take_idle(Slot& slot, std::int64_t now) {
  std::int64_t tat = slot.tat.load(std::memory_order_acquire);
  if (tat == kSlotInTransition || tat > now) return false;
  return slot.tat.compare_exchange_strong(tat, kSlotInTransition, std::memory_order_acq_rel,
                                          std::memory_order_relaxed);
}

// Gives a slot in transition to `key` with `tat`. Called under the shard's mutex.
void publish(Slot& slot, const Fingerprint& key, std::int64_t tat) {
  // Release: a reader that sees either word also sees the TAT in transition.
  slot.key_high.store(key.high, std::memory_order_release);
  slot.key_low.store(key.low, std::memory_order_release);
  slot.tat.store(tat, std::memory_order_release);  // readers that see it see the key above
}

// Only inserting a key takes it, so one key never gets two slots.
struct alignas(64) Shard {
  std::mutex insert_mutex;
};

std::uint64_t random_seed() {
  std::uint64_t seed = 0;
  secure_random_bytes(std::span(reinterpret_cast<unsigned char*>(&seed), sizeof(seed)));
  return seed;
}

}  // namespace

struct RateLimiter::Table {
  explicit Table(RateLimiterOptions options)
      : shard_count(std::bit_ceil(std::max<std::size_t>(options.shards, 1))),
        slots_per_shard(std::bit_ceil(std::max(options.capacity, shard_count)) / shard_count),
        window(std::min(kProbeWindow, slots_per_shard)),
        slots(std::make_unique<Slot[]>(shard_count * slots_per_shard)),
        shards(std::make_unique<Shard[]>(shard_count)) {}

  Fingerprint fingerprint(std::string_view key) const {
    return fingerprint_of(key, seed_high, seed_low);
  }

  // The `probe`th slot of the key's window.
  Slot& slot(const Fingerprint& key, std::size_t probe) const {
    const std::size_t shard = key.high & (shard_count - 1);
    const std::size_t home = key.low >> 1;
    return slots[shard * slots_per_shard + ((home + probe) & (slots_per_shard - 1))];
  }

  // Lock-free; may miss a key inserted at this moment (the locked path finds it). A key sits
  // past its home only if every slot between was taken then, and slots are never emptied, so an
  // empty slot ends the search.
  Slot* find(const Fingerprint& key) const {
    for (std::size_t probe = 0; probe < window; ++probe) {
      Slot& candidate = slot(key, probe);
      if (candidate.is_empty()) return nullptr;
      if (candidate.holds(key)) return &candidate;
    }
    return nullptr;
  }

  // The clock is read under the mutex: a wait for it must not make idle slots look busy.
  RateDecision check_locked(const Fingerprint& key, const RateClock& clock, const Gcra& gcra) {
    std::lock_guard lock(shards[key.high & (shard_count - 1)].insert_mutex);
    const std::int64_t now = clock();
    std::size_t used = 0;  // the occupied prefix of the window
    for (; used < window && !slot(key, used).is_empty(); ++used) {
      Slot& candidate = slot(key, used);
      if (!candidate.holds(key)) continue;
      // Keys change only under this mutex, so the slot stays the key's.
      std::optional<RateDecision> decision = update(candidate, key, now, gcra);
      assert(decision.has_value());
      if (decision) return *decision;
    }
    for (std::size_t probe = 0; probe < used; ++probe) {
      if (try_take_idle(slot(key, probe), now)) return claim(slot(key, probe), key, now, gcra);
    }
    if (used < window) {
      occupied.fetch_add(1, std::memory_order_relaxed);
      return claim(slot(key, used), key, now, gcra);
    }
    untracked_allowed.fetch_add(1, std::memory_order_relaxed);
    return first_request(now, gcra).decision;
  }

  RateDecision claim(Slot& target, const Fingerprint& key, std::int64_t now, const Gcra& gcra) {
    const Outcome outcome = first_request(now, gcra);
    publish(target, key, outcome.new_tat);
    return outcome.decision;
  }

  const std::size_t shard_count;
  const std::size_t slots_per_shard;
  const std::size_t window;
  const std::uint64_t seed_high = random_seed();
  const std::uint64_t seed_low = random_seed();
  // shard_count runs of slots_per_shard slots; shard i owns run i.
  const std::unique_ptr<Slot[]> slots;
  const std::unique_ptr<Shard[]> shards;
  std::atomic<std::size_t> occupied{0};
  std::atomic<std::uint64_t> untracked_allowed{0};
};

RateClock monotonic_epoch_clock() {
  using std::chrono::nanoseconds;
  const auto wall_start = std::chrono::system_clock::now();
  const auto steady_start = std::chrono::steady_clock::now();
  return [wall_start, steady_start] {
    const auto elapsed = std::chrono::steady_clock::now() - steady_start;
    return std::chrono::duration_cast<nanoseconds>(wall_start.time_since_epoch() + elapsed).count();
  };
}

RateLimiter::RateLimiter(RateClock clock, RateLimiterOptions options)
    : clock_(std::move(clock)), table_(std::make_unique<Table>(options)) {}

RateLimiter::~RateLimiter() = default;

RateDecision RateLimiter::check(std::string_view key, std::int64_t requests_per_minute) {
  const Gcra gcra = gcra_for(requests_per_minute);
  const Fingerprint fingerprint = table_->fingerprint(key);
  const std::int64_t now = clock_();
  if (Slot* slot = table_->find(fingerprint)) {
    if (std::optional<RateDecision> decision = update(*slot, fingerprint, now, gcra)) {
      return *decision;
    }
  }
  return table_->check_locked(fingerprint, clock_, gcra);
}

std::size_t RateLimiter::size() const {
  return table_->occupied.load(std::memory_order_relaxed);
}

std::size_t RateLimiter::capacity() const {
  return table_->shard_count * table_->slots_per_shard;
}

std::uint64_t RateLimiter::untracked() const {
  return table_->untracked_allowed.load(std::memory_order_relaxed);
}

}  // namespace seoagents
