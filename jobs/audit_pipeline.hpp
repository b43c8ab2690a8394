// The audit pipeline: what `audit` jobs run.
//
//   fetch → analyze → report
//
// fetch reads the site's published posts and pages through its REST API (up to
// --audit-max-pages); analyze runs the SEO analysis on each, on the compute pool; report stores
// the report as JSON in the object store (reports/{account}/{report_id}.json), its row in
// audit_reports and the audit.completed webhook event in one write, and gives the job a result
// with a presigned link to it. The report step is idempotent: run again (after a crash, or a
// retry), it finds the report its job stored and writes nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/compute_pool.hpp"
#include "core/outbound_client.hpp"
#include "core/presigned_url.hpp"
#include "core/secret_box.hpp"
#include "jobs/pipeline.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"

namespace seoagents::jobs {

// What the audit steps use. Outlives the engine that runs them.
struct AuditServices {
  storage::Store& store;
  storage::ObjectStore& objects;
  // Requests to the sites (SSRF guard included).
  OutboundClient& outbound;
  // Opens the sites' application passwords.
  const SecretBox& secrets;
  // Where the analysis runs (off the loop threads).
  ComputePool& compute;
  // Signs report links.
  const UrlSigner& report_urls;
  // Published posts and pages one audit reads at most.
  std::size_t max_pages = 500;
  // How long a report link is valid.
  std::chrono::milliseconds report_url_ttl{0};
  // The API's base URL as clients reach it ("https://seo.example.com"), for report links. Set
  // before the engine starts.
  std::string public_url;
};

Pipeline audit_pipeline(AuditServices& services);

// "/v1/dashboard/reports/{report_id}": where a report is served (the path its links sign).
std::string report_path(std::string_view report_id);

struct ReportLink {
  // public_url + the signed path and query.
  std::string url;
  // Unix seconds.
  std::int64_t expires_at = 0;
};

// A presigned link to `report_id`, valid report_url_ttl from `now_ms`.
ReportLink report_link(const AuditServices& services, std::string_view report_id,
                       std::int64_t now_ms);

}  // namespace seoagents::jobs
