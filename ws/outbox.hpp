// The frames waiting to be written to one WebSocket connection, oldest first. A frame is a
// shared, immutable string: a live event's frame is the same object for every subscriber.
// Live frames are counted apart from answers (replays, errors, pongs), which the reader bounds
// by not reading the next message while the outbox is full.
//
// Threads: the connection's loop only.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace seoagents::ws {

using SharedFrame = std::shared_ptr<const std::string>;

class Outbox {
 public:
  bool empty() const { return head_ == frames_.size(); }
  std::size_t size() const { return frames_.size() - head_; }
  // Live event frames waiting.
  std::size_t live() const { return live_; }

  void push(SharedFrame text, bool live) {
    frames_.push_back(Entry{std::move(text), live});
    if (live) ++live_;
  }

  // Removes and returns the oldest frame; not empty(). The writer holds it while it is written,
  // so clear() may run meanwhile.
  SharedFrame take() {
    if (frames_[head_].live) --live_;
    SharedFrame text = std::move(frames_[head_].text);
    ++head_;
    compact();
    return text;
  }

  void clear() {
    // An idle connection keeps no more than a few slots.
    if (frames_.capacity() > kKeptCapacity) {
      std::vector<Entry>().swap(frames_);
    } else {
      frames_.clear();
    }
    head_ = 0;
    live_ = 0;
  }

 private:
  struct Entry {
    SharedFrame text;
    bool live;
  };
  static constexpr std::size_t kCompactAfter = 64;
  static constexpr std::size_t kKeptCapacity = 16;

  // Drops the written prefix once it is all or most of the vector.
  void compact() {
    if (head_ == frames_.size()) {
      clear();
    } else if (head_ >= kCompactAfter && head_ * 2 >= frames_.size()) {
      frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  std::vector<Entry> frames_;
  // frames_[0, head_) are written.
  std::size_t head_ = 0;
  std::size_t live_ = 0;
};

}  // namespace seoagents::ws
