// A cache of rows by id for the hottest single-resource reads (GET /agents/{id}), one map per
// loop thread so it needs no lock. An entry is valid while its table's generation
// (Store::generation) is the one read before the row was loaded: any committed change to the
// table makes every entry of it stale at once, before the writer that made it is answered.
// Threads that are not loop threads always load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/loop_pool.hpp"
#include "storage/store.hpp"

namespace seoagents::storage {

template <class Row>
class ReadCache {
 public:
  using Loader = std::function<std::optional<Row>(Connection&)>;

  // `capacity`: entries per loop thread; a full map is emptied (simple, and bounded).
  ReadCache(Store& store, Store::CachedTable table, unsigned loops, std::size_t capacity)
      : store_(store), table_(table), capacity_(capacity), shards_(loops) {}

  // The row `id`: cached, or from `load` on the calling thread's reader (a row that is not
  // found is not cached). The pointer is valid until this thread's next call.
  const Row* find(const std::string& id, const Loader& load) {
    int loop = LoopPool::current_index();
    // Read before the row: a change committed after this read makes the entry stale.
    std::uint64_t generation = store_.generation(table_);
    if (loop < 0 || static_cast<std::size_t>(loop) >= shards_.size()) {
      uncached_ = load(store_.reader());
      return uncached_ ? &*uncached_ : nullptr;
    }
    Shard& shard = shards_[static_cast<std::size_t>(loop)];
    auto found = shard.rows.find(id);
    if (found != shard.rows.end() && found->second.generation == generation) {
      ++shard.hits;
      return &found->second.row;
    }
    std::optional<Row> row = load(store_.reader());
    if (!row) return nullptr;
    if (shard.rows.size() >= capacity_) shard.rows.clear();
    auto& entry = shard.rows[id];
    entry.row = std::move(*row);
    entry.generation = generation;
    return &entry.row;
  }

  // Lookups answered from the cache by loop `index` (tests, metrics).
  std::uint64_t hits(unsigned index) const { return shards_.at(index).hits; }

 private:
  struct Entry {
    Row row;
    std::uint64_t generation = 0;
  };
  struct Shard {
    std::unordered_map<std::string, Entry> rows;
    std::uint64_t hits = 0;
  };

  Store& store_;
  Store::CachedTable table_;
  std::size_t capacity_;
  std::vector<Shard> shards_;
  // The last row loaded for a thread that is not a loop thread (one per thread).
  static inline thread_local std::optional<Row> uncached_;
};

}  // namespace seoagents::storage
