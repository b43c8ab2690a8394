// Jobs by type and status, as the job_counts table (kept by triggers on jobs) holds them: what
// the metrics read on every scrape, a handful of rows whatever the number of jobs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct JobCount {
  std::string job_type;
  std::string status;
  std::int64_t jobs = 0;
};

// Every (type, status) pair that ever had a job, including those back at 0.
std::vector<JobCount> count_jobs_by_type_and_status(Connection& db);

}  // namespace seoagents::storage
