// The 90-day article lifecycle: a sweep deletes the objects of articles past their expires_at
// (the body and every earlier version) and marks the rows `expired`, so lists show them as
// expired and previews answer 404. The engine runs the sweep periodically (add_periodic_task).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>

#include "storage/object_store.hpp"
#include "storage/store.hpp"

namespace seoagents::jobs {

// How often the sweep runs.
inline constexpr std::chrono::minutes kArticleSweepInterval{1};

// Expires every article whose expires_at is at or before `now`, in batches of `batch`; returns
// how many. Objects are removed before the row is marked, in the same write, so a failure
// leaves the article active and the next sweep finishes it (removing is idempotent).
boost::asio::awaitable<std::size_t> expire_articles(storage::Store& store,
                                                    storage::ObjectStore& objects, std::int64_t now,
                                                    std::size_t batch = 100);

}  // namespace seoagents::jobs
