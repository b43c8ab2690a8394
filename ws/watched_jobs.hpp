// The jobs someone is watching: every job with a live subscription on any loop, or a subscribe
// being served. The channel drops events of other jobs on the publishing thread, before any
// rendering or posting between loops (most jobs run with nobody watching).
//
// No event is lost by that: a subscribe marks its job watched before it reads the stored
// events, and the check happens after the event was committed, so an event dropped because its
// job was not watched yet is one that subscribe's read finds.
//
// Threads: any; sharded mutexes keep the publishing thread and the loops apart.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seoagents::ws {

class WatchedJobs {
 public:
  // One more watcher of the job (counted: several connections may watch one job).
  void add(const std::string& job_id);
  // One fewer; the job is forgotten with its last watcher.
  void remove(const std::string& job_id);
  bool watched(const std::string& job_id) const;

 private:
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::size_t> watchers;
  };
  Shard& shard_for(const std::string& job_id) const;

  static constexpr std::size_t kShards = 16;
  mutable std::array<Shard, kShards> shards_;
};

// Marks a job watched for as long as it lives, unless kept: the guard of a subscribe that may
// still fail. keep() hands the mark to the subscription (its hub removes it when it ends).
class WatchGuard {
 public:
  WatchGuard(WatchedJobs& jobs, const std::string& job_id) : jobs_(jobs), job_id_(job_id) {
    jobs_.add(job_id_);
  }
  ~WatchGuard() {
    if (!kept_) jobs_.remove(job_id_);
  }
  WatchGuard(const WatchGuard&) = delete;
  WatchGuard& operator=(const WatchGuard&) = delete;
  void keep() { kept_ = true; }

 private:
  WatchedJobs& jobs_;
  const std::string& job_id_;
  bool kept_ = false;
};

}  // namespace seoagents::ws
