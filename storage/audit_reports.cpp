// Audit report rows (see audit_reports.hpp).
#include "storage/audit_reports.hpp"

#include "storage/ids.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kReportIdTaken = "SELECT 1 FROM audit_reports WHERE id = ?";
constexpr std::string_view kInsertReport =
    "INSERT INTO audit_reports (id, account_id, site_id, job_id, object_key, site_score, pages, "
    "issues_high, issues_medium, issues_low, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr std::string_view kSelectById =
    "SELECT id, account_id, site_id, job_id, object_key, site_score, pages, issues_high, "
    "issues_medium, issues_low, created_at FROM audit_reports WHERE id = ?1";
constexpr std::string_view kSelectByJob =
    "SELECT id, account_id, site_id, job_id, object_key, site_score, pages, issues_high, "
    "issues_medium, issues_low, created_at FROM audit_reports WHERE job_id = ?1";

AuditReport read_report(Statement& row) {
  AuditReport report;
  report.id = row.text(0);
  report.account_id = row.text(1);
  report.site_id = row.text(2);
  report.job_id = row.text(3);
  report.object_key = row.text(4);
  report.site_score = row.integer(5);
  report.pages = row.integer(6);
  report.issues_high = row.integer(7);
  report.issues_medium = row.integer(8);
  report.issues_low = row.integer(9);
  report.created_at = row.integer(10);
  return report;
}

std::optional<AuditReport> find_one(Connection& db, std::string_view sql, std::string_view key) {
  Query query = db.query(sql);
  query->bind(1, key);
  if (!query->step()) return std::nullopt;
  return read_report(*query);
}

}  // namespace

std::string new_audit_report_id(Connection& db) {
  return fresh_id(db, "report-", kReportIdTaken);
}

std::string audit_report_key(std::string_view account_id, std::string_view report_id) {
  std::string key("reports/");
  key.append(account_id).append("/").append(report_id).append(".json");
  return key;
}

void insert_audit_report(Connection& db, const AuditReport& report) {
  db.query(kInsertReport)
      ->bind(1, report.id)
      .bind(2, report.account_id)
      .bind(3, report.site_id)
      .bind(4, report.job_id)
      .bind(5, report.object_key)
      .bind(6, report.site_score)
      .bind(7, report.pages)
      .bind(8, report.issues_high)
      .bind(9, report.issues_medium)
      .bind(10, report.issues_low)
      .bind(11, report.created_at)
      .run();
}

std::optional<AuditReport> find_audit_report(Connection& db, std::string_view report_id) {
  return find_one(db, kSelectById, report_id);
}

std::optional<AuditReport> find_audit_report_by_job(Connection& db, std::string_view job_id) {
  return find_one(db, kSelectByJob, job_id);
}

}  // namespace seoagents::storage
