// The WebSocket progress channel: serves the connections the HTTP server hands over after an
// authorised upgrade at /v1 or /v1/ws (plain or TLS, on their own loop), and fans job events
// out to them.
//
// Fan-out: the engine publishes each event on the store's writer thread once it is committed.
// The channel's bus listener drops the events of jobs nobody watches (WatchedJobs) and posts the
// others to the job's owner loop (a hash of the job id, so one
// job's events keep their order), which renders the frames once (reading the job row once for
// a final event) and posts the shared result to every loop's hub: one message per loop and
// event, however many subscribers. Each hub hands it to its own connections; no lock is shared
// between loops around connections.
//
// Threads: start() and stop() from the thread that owns the App; serve() on a loop thread;
// stats() from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "http/server.hpp"
#include "jobs/event_bus.hpp"
#include "storage/store.hpp"
#include "ws/hub.hpp"
#include "ws/session.hpp"

namespace seoagents::ws {

// What the channel is doing now, for tests, benchmarks and metrics.
struct ChannelStats {
  std::size_t connections = 0;
  std::size_t subscriptions = 0;
  // Connections closed with 1013 because they did not read fast enough.
  std::uint64_t slow_consumers_closed = 0;
  // Job events handed to the loops (their job had a subscriber), and those dropped at once.
  std::uint64_t events_routed = 0;
  std::uint64_t events_unwatched = 0;
  // Open connections on each loop.
  std::vector<std::size_t> connections_per_loop;
};

class ProgressChannel final : public http::UpgradeHandler {
 public:
  ProgressChannel(LoopPool& loops, storage::Store& store, jobs::JobEventBus& bus, Logger& logger,
                  ChannelOptions options);
  ~ProgressChannel() override;
  ProgressChannel(const ProgressChannel&) = delete;
  ProgressChannel& operator=(const ProgressChannel&) = delete;

  // Starts receiving job events.
  void start();
  // Stops receiving them. The connections are closed by the HTTP server's stop (1001).
  // Idempotent.
  void stop();

  asio::awaitable<void> serve(asio::ip::tcp::socket& stream, http::ServerConnection& connection,
                              std::unique_ptr<http::Upgrade> upgrade) override;
  asio::awaitable<void> serve(TlsStream& stream, http::ServerConnection& connection,
                              std::unique_ptr<http::Upgrade> upgrade) override;

  ChannelStats stats() const;
  const ChannelOptions& options() const { return options_; }

 private:
  template <class NextLayer>
  asio::awaitable<void> run(NextLayer& next, http::ServerConnection& connection,
                            std::unique_ptr<http::Upgrade> upgrade);
  SessionServices session_services();
  // On the publishing thread: hands the update to its job's owner loop.
  void route(const jobs::JobUpdate& update);
  // On the owner loop: renders the event's frames once and posts them to every hub.
  void share(const jobs::JobUpdate& update);
  // The final message of a job the update finished.
  std::string final_frame(const jobs::JobUpdate& update);

  storage::Store& store_;
  jobs::JobEventBus& bus_;
  Logger& logger_;
  ChannelOptions options_;
  // Jobs with a subscriber (or a subscribe being served) on any loop: only their events are
  // routed.
  WatchedJobs watched_;
  std::atomic<std::uint64_t> events_routed_{0};
  std::atomic<std::uint64_t> events_unwatched_{0};
  // One per loop, in the loops' order.
  std::vector<std::unique_ptr<LoopHub>> hubs_;
  jobs::JobEventBus::Subscription listening_;
};

}  // namespace seoagents::ws
