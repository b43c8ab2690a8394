// One hub per loop thread: the subscriptions of that loop's WebSocket connections, by job id.
// Each job event reaches each hub once, as a message posted to its loop, and the hub hands the
// event's frames (rendered once for every loop) to its local subscribers.
//
// Threads: everything but the counters is touched only on the hub's loop. The counters may be
// read from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ws/watched_jobs.hpp"

namespace seoagents::ws {

namespace asio = boost::asio;

class Session;

// One job event as every subscriber receives it: rendered once, shared by all loops.
struct JobFrame {
  std::string job_id;
  std::int64_t seq = 0;
  // When the event was recorded (ms since the epoch), for subscribers that asked for `since`.
  std::int64_t ts = 0;
  // The `progress` message.
  std::string progress;
  // The final message (completed, failed or cancelled) when this event finished the job.
  std::optional<std::string> final;
};

// A connection's interest in one job.
struct Subscription {
  Session* session = nullptr;
  std::string job_id;
  // The last event this subscriber was given (stored or live): a live event at or below it is
  // one it already has.
  std::int64_t last_seq = 0;
  // The subscribe message's `since`: progress at or before it is not sent, stored or live.
  std::optional<std::int64_t> since;
  // Where it sits in the hub's list for its job.
  std::size_t slot = 0;
};

class LoopHub {
 public:
  // `watched`: shared by every loop's hub; a subscription's mark there is removed when it ends.
  LoopHub(asio::io_context& loop, WatchedJobs& watched) : loop_(loop), watched_(watched) {}
  LoopHub(const LoopHub&) = delete;
  LoopHub& operator=(const LoopHub&) = delete;

  asio::io_context& loop() { return loop_; }
  WatchedJobs& watched() { return watched_; }

  // `subscription`'s job must be marked watched already (WatchGuard::keep); remove() and a
  // final event clear that mark.
  void add(Subscription& subscription);
  void remove(Subscription& subscription);
  // Gives the event to every local subscriber of its job; a final event also ends their
  // subscriptions.
  void dispatch(const std::shared_ptr<const JobFrame>& frame);

  // Open connections and live subscriptions on this loop.
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> subscriptions{0};
  // Connections closed with 1013 because they did not read fast enough.
  std::atomic<std::uint64_t> slow_consumers_closed{0};

 private:
  asio::io_context& loop_;
  WatchedJobs& watched_;
  std::unordered_map<std::string, std::vector<Subscription*>> by_job_;
};

}  // namespace seoagents::ws
