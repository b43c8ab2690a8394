// Reading the job_counts table.
#include "storage/job_counts.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kSelectJobCounts =
    "SELECT job_type, status, jobs FROM job_counts ORDER BY job_type, status";

}  // namespace

std::vector<JobCount> count_jobs_by_type_and_status(Connection& db) {
  std::vector<JobCount> counts;
  Query query = db.query(kSelectJobCounts);
  while (query->step()) {
    counts.push_back({std::string(query->text(0)), std::string(query->text(1)), query->integer(2)});
  }
  return counts;
}

}  // namespace seoagents::storage
