// The content pipelines: what `create`, `enhance` and `optimize` jobs run.
//
//   create:   outline → draft → analyze → store     (a new article)
//   enhance:  load → enhance → analyze → store      (a deeper version of an article)
//   optimize: load → optimize → analyze → store     (the failing SEO assessments fixed)
//
// Steps pass their work on in the job's scratch object; the store step is the only one that
// writes, and it is idempotent: a job run again after a crash finds the article it created (or
// the version it wrote) and reports it instead of writing twice.
#pragma once

#include <cstdint>
#include <memory>

#include "core/compute_pool.hpp"
#include "jobs/pipeline.hpp"
#include "jobs/writers/writer.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"

namespace seoagents::jobs {

// What the content steps use. Outlives the engine that runs them.
struct ContentServices {
  storage::Store& store;
  storage::ObjectStore& objects;
  std::shared_ptr<Writer> writer;
  // Where the analysis runs (off the loop threads).
  ComputePool& compute;
  // How long a new article is kept.
  std::int64_t article_lifetime_ms = 0;
};

Pipeline create_pipeline(ContentServices& services);
Pipeline enhance_pipeline(ContentServices& services);
Pipeline optimize_pipeline(ContentServices& services);

}  // namespace seoagents::jobs
