// The in-process event bus of job progress: the engine publishes each event once it is
// persisted; subscribers (the WebSocket channel, tests) receive it on their own executor. A
// publisher never waits for a subscriber.
//
// Threads: subscribe, publish and unsubscribe may be called from any thread (one mutex, held
// only to copy the subscriber list). Handlers run on the executor given at subscription;
// listeners run on the publishing thread (a second mutex, held while they run).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/jobs.hpp"

namespace seoagents::jobs {

namespace asio = boost::asio;

// One progress event of a job and the job's status once the event happened.
struct JobUpdate {
  std::string account_id;
  std::string job_type;
  std::string status;
  storage::JobEvent event;
};

class JobEventBus {
 public:
  using Handler = std::function<void(const JobUpdate&)>;

  // Ends its subscription when destroyed; no handler call starts after that.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(JobEventBus* bus, std::uint64_t id) : bus_(bus), id_(id) {}
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription();
    void reset();

   private:
    JobEventBus* bus_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // `handler` is posted to `executor` for each update of the account's jobs (only of `job_id`
  // when given).
  [[nodiscard]] Subscription subscribe(std::string account_id, std::optional<std::string> job_id,
                                       asio::any_io_executor executor, Handler handler);

  // `handler` is called on the publishing thread (the store's writer thread) with every update
  // of every account, in publish order, before publish() returns. It must be quick and must not
  // block: the WebSocket channel only posts the update to a loop. No call starts after the
  // subscription ends, and ending it waits for a call in progress, so a handler may refer to
  // its owner until then. A handler must not subscribe or unsubscribe.
  [[nodiscard]] Subscription listen(Handler handler);

  void publish(const JobUpdate& update);

  std::size_t subscriber_count() const;

 private:
  struct Subscriber {
    std::uint64_t id;
    std::string account_id;
    std::optional<std::string> job_id;
    asio::any_io_executor executor;
    Handler handler;
    // Cleared on unsubscribe: a handler already posted checks it before running.
    std::atomic<bool> active{true};
  };

  struct Listener {
    std::uint64_t id;
    Handler handler;
  };

  void unsubscribe(std::uint64_t id);

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
  std::uint64_t next_id_ = 1;
  // Held while listeners run: removing one waits for a call in progress.
  std::mutex listeners_mutex_;
  std::vector<Listener> listeners_;
};

}  // namespace seoagents::jobs
