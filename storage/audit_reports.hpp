// Audit reports: one row per audit job that finished its report (the JSON body is in the object
// store at object_key), with the numbers its webhook and job result carry. A report is found by
// id (its presigned URL) or by job (an audit step run again finds the report it stored).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct AuditReport {
  // "report-" + 8 hex.
  std::string id;
  std::string account_id;
  std::string site_id;
  // The audit job that made it (unique).
  std::string job_id;
  // Where the JSON report is: "reports/{account_id}/{id}.json".
  std::string object_key;
  // 0–100: the mean of the pages' SEO scores.
  std::int64_t site_score = 0;
  // Posts and pages analysed.
  std::int64_t pages = 0;
  // Failing assessments by severity: high (rated bad), medium (ok), low (readability rated ok).
  std::int64_t issues_high = 0;
  std::int64_t issues_medium = 0;
  std::int64_t issues_low = 0;
  std::int64_t created_at = 0;
};

// A fresh report id ("report-" + 8 hex) that no report has.
std::string new_audit_report_id(Connection& db);
// The object store key of a report's JSON.
std::string audit_report_key(std::string_view account_id, std::string_view report_id);

void insert_audit_report(Connection& db, const AuditReport& report);
std::optional<AuditReport> find_audit_report(Connection& db, std::string_view report_id);
std::optional<AuditReport> find_audit_report_by_job(Connection& db, std::string_view job_id);

}  // namespace seoagents::storage
