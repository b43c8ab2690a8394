// Subscriber bookkeeping and delivery of job updates.
#include "jobs/event_bus.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace seoagents::jobs {

JobEventBus::Subscription::Subscription(Subscription&& other) noexcept
    : bus_(other.bus_), id_(other.id_) {
  other.bus_ = nullptr;
}

JobEventBus::Subscription& JobEventBus::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = other.bus_;
    id_ = other.id_;
    other.bus_ = nullptr;
  }
  return *this;
}

JobEventBus::Subscription::~Subscription() {
  reset();
}

void JobEventBus::Subscription::reset() {
  if (bus_ != nullptr) bus_->unsubscribe(id_);
  bus_ = nullptr;
}

JobEventBus::Subscription JobEventBus::subscribe(std::string account_id,
                                                 std::optional<std::string> job_id,
                                                 asio::any_io_executor executor, Handler handler) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->account_id = std::move(account_id);
  subscriber->job_id = std::move(job_id);
  subscriber->executor = std::move(executor);
  subscriber->handler = std::move(handler);
  std::lock_guard lock(mutex_);
  subscriber->id = next_id_++;
  subscribers_.push_back(subscriber);
  return Subscription(this, subscriber->id);
}

JobEventBus::Subscription JobEventBus::listen(Handler handler) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
  }
  std::lock_guard lock(listeners_mutex_);
  listeners_.push_back(Listener{id, std::move(handler)});
  return Subscription(this, id);
}

void JobEventBus::unsubscribe(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(subscribers_.begin(), subscribers_.end(),
                              [id](const auto& subscriber) { return subscriber->id == id; });
    if (found != subscribers_.end()) {
      (*found)->active = false;
      subscribers_.erase(found);
      return;
    }
  }
  std::lock_guard lock(listeners_mutex_);
  std::erase_if(listeners_, [id](const Listener& listener) { return listener.id == id; });
}

void JobEventBus::publish(const JobUpdate& update) {
  std::vector<std::shared_ptr<Subscriber>> receivers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& subscriber : subscribers_) {
      if (subscriber->account_id != update.account_id) continue;
      if (subscriber->job_id && *subscriber->job_id != update.event.job_id) continue;
      receivers.push_back(subscriber);
    }
  }
  for (auto& receiver : receivers) {
    asio::post(receiver->executor, [receiver, update] {
      if (receiver->active) receiver->handler(update);
    });
  }
  std::lock_guard lock(listeners_mutex_);
  for (const Listener& listener : listeners_)
    listener.handler(update);
}

std::size_t JobEventBus::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace seoagents::jobs
