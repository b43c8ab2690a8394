// The article sweep (see article_lifecycle.hpp).
#include "jobs/article_lifecycle.hpp"

#include "jobs/article_file.hpp"
#include "storage/articles.hpp"

namespace seoagents::jobs {
namespace {

void remove_object(storage::ObjectStore& objects, const std::string& key) {
  auto removed = objects.remove(key);
  if (!removed) throw std::runtime_error(removed.error().message);
}

// The body and every earlier version of the article at `s3_key`.
void remove_article_objects(storage::ObjectStore& objects, const std::string& s3_key) {
  std::string prefix = article_versions_prefix(s3_key);
  while (true) {
    auto listing = objects.list(prefix, storage::kMaxObjectListLimit, "");
    if (!listing) throw std::runtime_error(listing.error().message);
    for (const std::string& key : listing->keys)
      remove_object(objects, key);
    if (!listing->truncated) break;
  }
  remove_object(objects, s3_key);
}

std::size_t expire_batch(storage::Connection& db, storage::ObjectStore& objects, std::int64_t now,
                         std::size_t batch) {
  std::size_t expired = 0;
  for (const storage::Article& article : storage::list_expired_articles(db, now, batch)) {
    remove_article_objects(objects, article.s3_key);
    if (storage::mark_article_expired(db, article.s3_key, now)) ++expired;
  }
  return expired;
}

}  // namespace

boost::asio::awaitable<std::size_t> expire_articles(storage::Store& store,
                                                    storage::ObjectStore& objects, std::int64_t now,
                                                    std::size_t batch) {
  std::size_t total = 0;
  while (true) {
    auto expired =
        co_await store.write<std::size_t>([&objects, now, batch](storage::Connection& db) {
          return expire_batch(db, objects, now, batch);
        });
    if (!expired) throw std::runtime_error("article sweep: " + expired.error().detail);
    total += *expired;
    if (*expired < batch) break;
  }
  co_return total;
}

}  // namespace seoagents::jobs
