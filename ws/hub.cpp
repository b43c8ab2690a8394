// Subscriptions by job on one loop, and the hand-out of each event to them.
#include "ws/hub.hpp"

#include <cassert>

#include "ws/session.hpp"

namespace seoagents::ws {

void LoopHub::add(Subscription& subscription) {
  auto& list = by_job_[subscription.job_id];
  subscription.slot = list.size();
  list.push_back(&subscription);
  subscriptions.fetch_add(1, std::memory_order_relaxed);
}

void LoopHub::remove(Subscription& subscription) {
  auto found = by_job_.find(subscription.job_id);
  if (found == by_job_.end()) return;
  auto& list = found->second;
  assert(subscription.slot < list.size() && list[subscription.slot] == &subscription);
  // Swap with the last: O(1) however many watch the job.
  list[subscription.slot] = list.back();
  list[subscription.slot]->slot = subscription.slot;
  list.pop_back();
  if (list.empty()) by_job_.erase(found);
  subscriptions.fetch_sub(1, std::memory_order_relaxed);
  watched_.remove(subscription.job_id);
}

void LoopHub::dispatch(const std::shared_ptr<const JobFrame>& frame) {
  auto found = by_job_.find(frame->job_id);
  if (found == by_job_.end()) return;
  // Delivery never changes the list: a session that cannot keep up only marks itself closing.
  for (Subscription* subscription : found->second)
    subscription->session->deliver(*subscription, frame);
  if (!frame->final) return;
  // The job is over: nothing more will come for it.
  std::vector<Subscription*> ended = std::move(found->second);
  by_job_.erase(found);
  subscriptions.fetch_sub(ended.size(), std::memory_order_relaxed);
  for (Subscription* subscription : ended) {
    watched_.remove(subscription->job_id);
    subscription->session->forget(*subscription);
  }
}

}  // namespace seoagents::ws
