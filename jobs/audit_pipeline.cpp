// The steps of the audit pipeline (see audit_pipeline.hpp).
#include "jobs/audit_pipeline.hpp"

#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/url_guard.hpp"
#include "jobs/audit_report.hpp"
#include "jobs/wordpress/site_reader.hpp"
#include "storage/accounts.hpp"
#include "storage/audit_reports.hpp"
#include "storage/sites.hpp"
#include "storage/webhook_events.hpp"

namespace seoagents::jobs {
namespace {

namespace json = boost::json;
using storage::Connection;

// Overall progress while reading (fetch ends at 40) and analysing (analyze ends at 85).
constexpr std::int64_t kFetchStart = 5;
constexpr std::int64_t kFetchEnd = 40;
constexpr std::int64_t kAnalyzeEnd = 85;
// Pages analysed between two progress events at least.
constexpr std::size_t kAnalyzeProgressEvery = 25;

// ---- What fetch hands analyze, in the job's scratch object ----

json::object item_json(const wordpress::PublishedItem& item) {
  json::object object;
  object["id"] = item.id;
  object["type"] = item.type;
  object["link"] = item.link;
  object["slug"] = item.slug;
  object["title"] = item.title;
  object["content_html"] = item.content_html;
  object["meta_description"] = item.meta_description;
  object["meta_description_source"] = item.meta_description_source;
  object["focus_keyphrase"] = item.focus_keyphrase;
  object["focus_keyphrase_source"] = item.focus_keyphrase_source;
  return object;
}

wordpress::PublishedItem item_from(const json::object& object) {
  wordpress::PublishedItem item;
  item.id = object.at("id").as_int64();
  item.type = scratch_text(object, "type");
  item.link = scratch_text(object, "link");
  item.slug = scratch_text(object, "slug");
  item.title = scratch_text(object, "title");
  item.content_html = scratch_text(object, "content_html");
  item.meta_description = scratch_text(object, "meta_description");
  item.meta_description_source = scratch_text(object, "meta_description_source");
  item.focus_keyphrase = scratch_text(object, "focus_keyphrase");
  item.focus_keyphrase_source = scratch_text(object, "focus_keyphrase_source");
  return item;
}

json::object summary_json(const AuditSummary& summary) {
  json::object object;
  object["site_score"] = summary.site_score;
  object["readability_score"] = summary.readability_score;
  object["pages"] = summary.pages;
  object["issues"] = issue_counts_json(summary.issues);
  object["capped"] = summary.capped;
  return object;
}

// ---- fetch ----

struct OpenedSite {
  storage::Site site;
  wordpress::SiteCredentials credentials;
};

// The job's site with its password opened, or the reason the job cannot go on.
Expected<OpenedSite, std::string> open_site(AuditServices& services, const storage::Job& job) {
  std::string site_id = job.site_id.value_or("");
  std::optional<storage::Site> site = storage::find_site(services.store.reader(), site_id);
  if (!site || site->account_id != job.account_id) {
    return unexpected("Site not found: " + site_id + " (removed after the job was created?)");
  }
  std::optional<std::string> password = services.secrets.open(site->password_sealed, site->id);
  if (!password) {
    return unexpected("The application password of site " + site_id +
                      " cannot be opened (the master key changed?); set it again with PUT");
  }
  wordpress::SiteCredentials credentials{site->url, site->username, std::move(*password)};
  return OpenedSite{std::move(*site), std::move(credentials)};
}

std::string fetched_message(const wordpress::SiteContent& content, const std::string& url) {
  std::size_t posts = 0;
  for (const wordpress::PublishedItem& item : content.items)
    posts += item.type == "post" ? 1 : 0;
  std::string message("Read ");
  message.append(std::to_string(posts)).append(" posts and ");
  message.append(std::to_string(content.items.size() - posts)).append(" pages from ").append(url);
  if (content.capped) message.append(" (the --audit-max-pages cap was reached)");
  return message;
}

asio::awaitable<StepOutcome> fetch_step(AuditServices& services, JobContext& context) {
  auto opened = open_site(services, context.job());
  if (!opened) co_return StepOutcome::fail(opened.error());
  std::size_t cap = services.max_pages;
  auto report_progress = [&context, cap](std::size_t read,
                                         const std::string& collection) -> asio::awaitable<void> {
    std::string message("Read ");
    message.append(std::to_string(read)).append(" published posts and pages so far (reading ");
    message.append(collection).append(")");
    std::int64_t percent =
        kFetchStart + static_cast<std::int64_t>((kFetchEnd - kFetchStart - 1) * read / cap);
    co_await context.progress(percent, std::move(message));
  };
  wordpress::ReadProgress progress = report_progress;
  auto content = co_await wordpress::read_published_content(services.outbound, opened->credentials,
                                                            cap, progress);
  if (!content) {
    co_return content.error().retryable ? StepOutcome::retry(content.error().message)
                                        : StepOutcome::fail(content.error().message);
  }
  json::array items;
  for (const wordpress::PublishedItem& item : content->items)
    items.emplace_back(item_json(item));
  auto url = parse_outbound_url(opened->site.url);
  context.scratch()["items"] = std::move(items);
  context.scratch()["capped"] = content->capped;
  context.scratch()["site_host"] = url ? url->host : std::string();
  context.scratch()["site_url"] = opened->site.url;
  co_return StepOutcome::ok(fetched_message(*content, opened->site.url));
}

// ---- analyze ----

asio::awaitable<StepOutcome> analyze_step(AuditServices& services, JobContext& context) {
  const json::array& items = context.scratch().at("items").as_array();
  std::string site_host = scratch_text(context.scratch(), "site_host");
  std::vector<PageAudit> pages;
  pages.reserve(items.size());
  for (const json::value& value : items) {
    auto work = [item = item_from(value.as_object()), site_host] {
      return audit_page(item, site_host);
    };
    pages.push_back(co_await services.compute.run(std::move(work)));
    if (pages.size() % kAnalyzeProgressEvery == 0 && pages.size() < items.size()) {
      std::string message("Analysed ");
      message.append(std::to_string(pages.size())).append(" of ");
      message.append(std::to_string(items.size())).append(" pages");
      co_await context.progress(
          kFetchEnd + static_cast<std::int64_t>((kAnalyzeEnd - kFetchEnd - 1) * pages.size() /
                                                items.size()),
          std::move(message));
    }
  }
  sort_worst_first(pages);
  AuditSummary summary = summarize(pages, context.scratch().at("capped").as_bool());
  json::array rendered;
  for (const PageAudit& page : pages)
    rendered.emplace_back(page_audit_json(page));
  context.scratch()["pages"] = std::move(rendered);
  context.scratch()["summary"] = summary_json(summary);
  std::string message("Analysed ");
  message.append(std::to_string(summary.pages)).append(" pages: site score ");
  message.append(std::to_string(summary.site_score)).append("/100");
  co_return StepOutcome::ok(std::move(message));
}

// ---- report ----

// What the report step writes, gathered before the write.
struct ReportDraft {
  storage::Job job;
  std::string site_url;
  json::object summary;
  json::array pages;
  std::int64_t now = 0;
};

std::string report_body(const storage::AuditReport& report, const ReportDraft& draft) {
  json::object body;
  body["report_id"] = report.id;
  body["job_id"] = report.job_id;
  body["site_id"] = report.site_id;
  body["site_url"] = draft.site_url;
  body["created_at"] = format_rfc3339_ms(report.created_at);
  body["summary"] = draft.summary;
  body["pages"] = draft.pages;
  return json::serialize(body);
}

// The summary the webhook event and the job's result carry.
json::object completion_data(const AuditServices& services, const storage::AuditReport& report,
                             const json::object& summary, std::int64_t now) {
  ReportLink link = report_link(services, report.id, now);
  json::object data;
  data["job_id"] = report.job_id;
  data["site_id"] = report.site_id;
  data["report_id"] = report.id;
  data["site_score"] = report.site_score;
  data["readability_score"] = summary.at("readability_score");
  data["pages"] = report.pages;
  data["issues"] = summary.at("issues");
  data["capped"] = summary.at("capped");
  data["report_url"] = link.url;
  data["report_url_expires_at"] = format_rfc3339_ms(link.expires_at * 1000);
  return data;
}

// Puts the report, inserts its row and records audit.completed, in one write (the put runs on
// the writer thread, as an article's does: a row never names a missing report). A job run again
// finds its report and writes nothing.
storage::AuditReport store_report(AuditServices& services, Connection& db,
                                  const ReportDraft& draft) {
  if (auto done = storage::find_audit_report_by_job(db, draft.job.id)) return *done;
  storage::AuditReport report;
  report.id = storage::new_audit_report_id(db);
  report.account_id = draft.job.account_id;
  report.site_id = draft.job.site_id.value_or("");
  report.job_id = draft.job.id;
  report.object_key = storage::audit_report_key(report.account_id, report.id);
  report.site_score = draft.summary.at("site_score").as_int64();
  report.pages = draft.summary.at("pages").as_int64();
  const json::object& issues = draft.summary.at("issues").as_object();
  report.issues_high = issues.at("high").as_int64();
  report.issues_medium = issues.at("medium").as_int64();
  report.issues_low = issues.at("low").as_int64();
  report.created_at = draft.now;
  auto stored = services.objects.put(report.object_key, report_body(report, draft));
  if (!stored) throw std::runtime_error(stored.error().message);
  storage::insert_audit_report(db, report);
  storage::record_webhook_event(db, report.account_id, "audit.completed",
                                completion_data(services, report, draft.summary, draft.now),
                                draft.now);
  return report;
}

asio::awaitable<StepOutcome> report_step(AuditServices& services, JobContext& context) {
  ReportDraft draft;
  draft.job = context.job();
  draft.site_url = scratch_text(context.scratch(), "site_url");
  draft.summary = context.scratch().at("summary").as_object();
  draft.pages = context.scratch().at("pages").as_array();
  draft.now = storage::now_ms();
  auto stored = co_await services.store.write<storage::AuditReport>(
      [&services, &draft](Connection& db) { return store_report(services, db, draft); });
  if (!stored)
    co_return StepOutcome::retry("The report could not be stored now (storage unavailable)");
  json::object data = completion_data(services, *stored, draft.summary, storage::now_ms());
  for (auto& member : data)
    context.result()[member.key()] = member.value();
  std::string message("Report ");
  message.append(stored->id).append(" stored: site score ");
  message.append(std::to_string(stored->site_score)).append("/100, ");
  message.append(std::to_string(stored->issues_high)).append(" high, ");
  message.append(std::to_string(stored->issues_medium)).append(" medium, ");
  message.append(std::to_string(stored->issues_low)).append(" low issues");
  co_return StepOutcome::ok(std::move(message));
}

using StepFunction = asio::awaitable<StepOutcome> (*)(AuditServices&, JobContext&);

Step step_of(AuditServices& services, const char* name, std::int64_t percent, StepFunction run) {
  return {name, percent, [&services, run](JobContext& context) { return run(services, context); }};
}

}  // namespace

Pipeline audit_pipeline(AuditServices& services) {
  Pipeline pipeline;
  pipeline.steps.push_back(step_of(services, "fetch", kFetchEnd, fetch_step));
  pipeline.steps.push_back(step_of(services, "analyze", kAnalyzeEnd, analyze_step));
  pipeline.steps.push_back(step_of(services, "report", 100, report_step));
  return pipeline;
}

std::string report_path(std::string_view report_id) {
  std::string path("/v1/dashboard/reports/");
  path.append(report_id);
  return path;
}

ReportLink report_link(const AuditServices& services, std::string_view report_id,
                       std::int64_t now_ms) {
  ReportLink link;
  link.expires_at = (now_ms + services.report_url_ttl.count()) / 1000;
  link.url =
      services.public_url + services.report_urls.sign(report_path(report_id), link.expires_at);
  return link;
}

}  // namespace seoagents::jobs
