// The compute pool: a few threads for CPU-heavy work (the SEO analysis of a long article,
// Markdown rendering) so that it never holds up a loop thread's other connections. A coroutine
// hands a function over with run() and resumes on its own executor with the result.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <type_traits>

namespace seoagents {

namespace asio = boost::asio;

class ComputePool {
 public:
  // `threads`: 0 means half the cores, at least one.
  explicit ComputePool(std::size_t threads = 0);
  ~ComputePool();
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  // Runs `work` on a pool thread; the awaiting coroutine resumes on its own executor with what
  // it returned (or the exception it threw). The result type must be default-constructible and
  // movable. Not a coroutine itself: `work` is moved into the posted function, so nothing of the
  // caller's frame is touched from the pool thread.
  template <class Work>
  auto run(Work work) {
    using Result = std::invoke_result_t<Work&>;
    auto initiate = [this](auto handler, Work work) {
      auto caller = asio::get_associated_executor(handler);
      asio::post(pool_, [handler = std::move(handler), work = std::move(work), caller]() mutable {
        std::exception_ptr error;
        Result result{};
        try {
          result = work();
        } catch (...) {
          error = std::current_exception();
        }
        asio::post(caller,
                   [handler = std::move(handler), error, result = std::move(result)]() mutable {
                     std::move(handler)(error, std::move(result));
                   });
      });
    };
    return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, Result)>(
        std::move(initiate), asio::use_awaitable, std::move(work));
  }

  // Finishes what is queued and joins the threads. Idempotent.
  void stop();

  std::size_t threads() const { return threads_; }

 private:
  std::size_t threads_;
  asio::thread_pool pool_;
};

}  // namespace seoagents
