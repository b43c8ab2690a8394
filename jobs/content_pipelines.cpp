// The steps of the content pipelines (see content_pipelines.hpp).
#include "jobs/content_pipelines.hpp"

#include <boost/json/value_from.hpp>
#include <cmath>

#include "core/text.hpp"
#include "core/url_guard.hpp"
#include "jobs/article_file.hpp"
#include "jobs/optimizer.hpp"
#include "seo/analysis.hpp"
#include "seo/slug.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/sites.hpp"

namespace seoagents::jobs {
namespace {

namespace json = boost::json;
using storage::Article;
using storage::Connection;

// Most suffixes tried to make a slug unique for its agent ("slug-2" … "slug-999").
constexpr int kMaxSlugSuffix = 999;
// Largest article body read back from the object store.
// Internal links an optimize job adds at most.
constexpr std::size_t kMaxRelatedLinks = 3;
// Paragraphs an optimize job has the writer rewrite for keyphrase density at most.
constexpr std::size_t kMaxDensityRewrites = 5;

// ---- What the steps hand each other, in the job's scratch object ----

json::object brief_json(const ArticleBrief& brief) {
  json::array related;
  for (const std::string& keyword : brief.related_keywords)
    related.emplace_back(keyword);
  json::object object;
  object["keyword"] = brief.keyword;
  object["related_keywords"] = std::move(related);
  object["tone"] = brief.tone;
  object["word_target"] = brief.word_target;
  object["agent_name"] = brief.agent_name;
  return object;
}

ArticleBrief brief_from(const json::object& object) {
  ArticleBrief brief;
  brief.keyword = scratch_text(object, "keyword");
  for (const json::value& keyword : object.at("related_keywords").as_array())
    brief.related_keywords.emplace_back(keyword.as_string());
  brief.tone = scratch_text(object, "tone");
  brief.word_target = object.at("word_target").as_int64();
  brief.agent_name = scratch_text(object, "agent_name");
  return brief;
}

json::object outline_json(const Outline& outline) {
  json::array sections;
  for (const OutlineSection& section : outline.sections) {
    json::array subheadings;
    for (const std::string& sub : section.subheadings)
      subheadings.emplace_back(sub);
    json::object item;
    item["heading"] = section.heading;
    item["subheadings"] = std::move(subheadings);
    item["summary"] = section.summary;
    sections.emplace_back(std::move(item));
  }
  json::object object;
  object["title"] = outline.title;
  object["sections"] = std::move(sections);
  return object;
}

Outline outline_from(const json::object& object) {
  Outline outline;
  outline.title = scratch_text(object, "title");
  for (const json::value& item : object.at("sections").as_array()) {
    const json::object& section = item.as_object();
    OutlineSection out;
    out.heading = scratch_text(section, "heading");
    out.summary = scratch_text(section, "summary");
    for (const json::value& sub : section.at("subheadings").as_array())
      out.subheadings.emplace_back(sub.as_string());
    outline.sections.push_back(std::move(out));
  }
  return outline;
}

json::object file_json(const ArticleFile& file) {
  json::object object;
  object["title"] = file.title;
  object["meta_description"] = file.meta_description;
  object["slug"] = file.slug;
  object["keyword"] = file.keyword;
  object["writer"] = file.writer;
  object["model"] = file.model;
  object["body_markdown"] = file.body_markdown;
  return object;
}

ArticleFile file_from(const json::object& object) {
  ArticleFile file;
  file.title = scratch_text(object, "title");
  file.meta_description = scratch_text(object, "meta_description");
  file.slug = scratch_text(object, "slug");
  file.keyword = scratch_text(object, "keyword");
  file.writer = scratch_text(object, "writer");
  file.model = scratch_text(object, "model");
  file.body_markdown = scratch_text(object, "body_markdown");
  return file;
}

// Adds a call's tokens to the job's result (`usage`, summed over the calls).
void add_usage(JobContext& context, const TokenUsage& usage) {
  json::object& result = context.result();
  if (!result.contains("usage")) {
    json::object zero;
    zero["input_tokens"] = 0;
    zero["output_tokens"] = 0;
    result["usage"] = std::move(zero);
  }
  json::object& total = result["usage"].as_object();
  total["input_tokens"] = total["input_tokens"].as_int64() + usage.input_tokens;
  total["output_tokens"] = total["output_tokens"].as_int64() + usage.output_tokens;
}

StepOutcome writer_failed(const WriterFailure& failure) {
  return failure.retryable ? StepOutcome::retry(failure.message)
                           : StepOutcome::fail(failure.message);
}

// ---- The agent, the article and the analysis ----

ArticleBrief brief_for(const storage::Agent& agent, std::string keyword) {
  ArticleBrief brief;
  for (const std::string& other : agent.keywords) {
    if (other != keyword) brief.related_keywords.push_back(other);
  }
  brief.keyword = std::move(keyword);
  brief.tone = agent.tone;
  brief.word_target = agent.word_target;
  brief.agent_name = agent.name;
  return brief;
}

// The host of the agent's WordPress site: links to it are internal.
std::string site_host_of(Connection& db, const storage::Agent& agent) {
  if (!agent.site_id) return {};
  std::optional<storage::Site> site = storage::find_site(db, *agent.site_id);
  if (!site) return {};
  auto url = parse_outbound_url(site->url);
  return url ? url->host : std::string();
}

seo::AnalysisInput analysis_input(const ArticleFile& file, std::string site_host) {
  seo::AnalysisInput input;
  input.keyword = file.keyword;
  input.title = file.title;
  input.meta_description = file.meta_description;
  input.slug = file.slug;
  input.content = file.body_markdown;
  input.site_host = std::move(site_host);
  return input;
}

json::object scores_json(const seo::AnalysisReport& report) {
  json::object scores;
  scores["word_count"] = report.metrics.word_count;
  scores["seo_score"] = report.seo_score;
  scores["readability_score"] = report.readability_score;
  return scores;
}

asio::awaitable<seo::AnalysisReport> analyze_file(ContentServices& services,
                                                  const ArticleFile& file, std::string site_host) {
  auto analysis = [input = analysis_input(file, std::move(site_host))] {
    return seo::analyze(input);
  };
  co_return co_await services.compute.run(std::move(analysis));
}

std::string scores_message(const seo::AnalysisReport& report) {
  return "SEO score " + std::to_string(report.seo_score) + "/100, readability " +
         std::to_string(report.readability_score) + "/100, " +
         std::to_string(report.metrics.word_count) + " words";
}

// The ids of the assessments not rated good.
std::set<std::string> failing_assessments(const seo::AnalysisReport& report) {
  std::set<std::string> failing;
  for (const seo::Assessment& assessment : report.assessments) {
    if (assessment.rating != seo::Rating::good) failing.insert(assessment.id);
  }
  return failing;
}

// ---- create ----

asio::awaitable<StepOutcome> outline_step(ContentServices& services, JobContext& context) {
  const storage::Job& job = context.job();
  Connection& db = services.store.reader();
  std::optional<storage::Agent> agent = storage::find_agent(db, job.agent_id);
  if (!agent || agent->status == "deleted") {
    co_return StepOutcome::fail("Agent " + job.agent_id + " no longer exists");
  }
  std::string keyword = job.keyword.value_or(agent->keywords.empty() ? "" : agent->keywords[0]);
  if (keyword.empty()) co_return StepOutcome::fail("The job has no keyword");
  ArticleBrief brief = brief_for(*agent, keyword);
  context.scratch()["brief"] = brief_json(brief);
  context.scratch()["site_host"] = site_host_of(db, *agent);
  Expected<Outline, WriterFailure> outline = co_await services.writer->outline(brief);
  if (!outline) co_return writer_failed(outline.error());
  add_usage(context, outline->usage);
  context.scratch()["outline"] = outline_json(*outline);
  co_return StepOutcome::ok("Outline ready: " + std::to_string(outline->sections.size()) +
                            " sections for \"" + keyword + "\"");
}

asio::awaitable<StepOutcome> draft_step(ContentServices& services, JobContext& context) {
  ArticleBrief brief = brief_from(context.scratch().at("brief").as_object());
  Outline outline = outline_from(context.scratch().at("outline").as_object());
  Expected<WrittenArticle, WriterFailure> draft = co_await services.writer->draft(brief, outline);
  if (!draft) co_return writer_failed(draft.error());
  add_usage(context, draft->usage);
  ArticleFile file;
  file.title = draft->title;
  file.meta_description = draft->meta_description;
  file.slug = seo::slugify(brief.keyword);
  if (file.slug.empty()) file.slug = seo::slugify(draft->title);
  if (file.slug.empty()) file.slug = "article";
  file.keyword = brief.keyword;
  file.writer = std::string(services.writer->name());
  file.model = services.writer->model();
  file.body_markdown = draft->body_markdown;
  context.scratch()["file"] = file_json(file);
  co_return StepOutcome::ok("Draft written: \"" + file.title + "\"");
}

// Analyses scratch.file into scratch.report (its scores).
asio::awaitable<StepOutcome> analyze_step(ContentServices& services, JobContext& context) {
  ArticleFile file = file_from(context.scratch().at("file").as_object());
  seo::AnalysisReport report =
      co_await analyze_file(services, file, scratch_text(context.scratch(), "site_host"));
  context.scratch()["report"] = scores_json(report);
  co_return StepOutcome::ok(scores_message(report));
}

// A slug of the agent's that no article has taken: `base`, `base-2`, `base-3`, …
std::string unique_slug(Connection& db, const std::string& agent_id, const std::string& base) {
  for (int suffix = 1; suffix <= kMaxSlugSuffix; ++suffix) {
    std::string slug = suffix == 1 ? base : base + "-" + std::to_string(suffix);
    if (!storage::find_article(db, article_key(agent_id, slug))) return slug;
  }
  throw std::runtime_error("no free slug for " + base);
}

void put_object(storage::ObjectStore& objects, const std::string& key, const std::string& bytes) {
  auto stored = objects.put(key, bytes);
  if (!stored) throw std::runtime_error(stored.error().message);
}

// The article as the result of a job reports it.
void write_article_result(json::object& result, const Article& article) {
  result["s3_key"] = article.s3_key;
  result["title"] = article.title;
  result["slug"] = article.slug;
  result["word_count"] = article.word_count;
  result["seo_score"] = article.seo_score;
  result["readability_score"] = article.readability_score;
  result["version"] = article.version;
}

// Inserts the article in the same write that puts its body, so that no row ever names a missing
// body and two jobs never take the same slug. The put runs on the writer thread: articles are
// written seconds or minutes apart, and a few milliseconds of file I/O there is the price of
// choosing the slug and writing the body atomically together.
Article store_new_article(ContentServices& services, Connection& db, const storage::Job& job,
                          const ArticleFile& written, const json::object& report,
                          std::int64_t now) {
  if (std::optional<Article> done = storage::find_article_created_by(db, job.id)) return *done;
  ArticleFile file = written;
  file.slug = unique_slug(db, job.agent_id, file.slug);
  Article article;
  article.s3_key = article_key(job.agent_id, file.slug);
  article.account_id = job.account_id;
  article.agent_id = job.agent_id;
  article.title = file.title;
  article.meta_description = file.meta_description;
  article.keyword = file.keyword;
  article.slug = file.slug;
  article.word_count = report.at("word_count").as_int64();
  article.seo_score = report.at("seo_score").as_int64();
  article.readability_score = report.at("readability_score").as_int64();
  article.created_by_job = job.id;
  article.expires_at = now + services.article_lifetime_ms;
  put_object(services.objects, article.s3_key, render_article_file(file));
  return storage::insert_article(db, std::move(article), now);
}

// What a store step writes, in one write on the writer thread.
using StoreFunction = Article (*)(ContentServices&, Connection&, const storage::Job&,
                                  const ArticleFile&, const json::object&, std::int64_t);

// Runs `store` with scratch.file and scratch.report; nullopt when the store could not write.
asio::awaitable<std::optional<Article>> store_article(ContentServices& services,
                                                      JobContext& context, StoreFunction store) {
  storage::Job job = context.job();
  ArticleFile file = file_from(context.scratch().at("file").as_object());
  json::object report = context.scratch().at("report").as_object();
  std::int64_t now = storage::now_ms();
  auto stored = co_await services.store.write<Article>(
      [&services, &job, &file, &report, now, store](Connection& db) {
        return store(services, db, job, file, report, now);
      });
  if (!stored) co_return std::nullopt;
  co_return std::move(stored).value();
}

StepOutcome storage_unavailable() {
  return StepOutcome::retry("The article could not be stored now (storage unavailable)");
}

asio::awaitable<StepOutcome> store_article_step(ContentServices& services, JobContext& context) {
  std::optional<Article> stored = co_await store_article(services, context, store_new_article);
  if (!stored) co_return storage_unavailable();
  json::object& result = context.result();
  write_article_result(result, *stored);
  const json::object& file = context.scratch().at("file").as_object();
  result["writer"] = scratch_text(file, "writer");
  result["model"] = scratch_text(file, "model");
  co_return StepOutcome::ok("Article stored at " + stored->s3_key);
}

// ---- enhance and optimize: an existing article ----

// Reads the job's article (body included) into scratch.file and its scores into scratch.before.
asio::awaitable<StepOutcome> load_article_step(ContentServices& services, JobContext& context) {
  const storage::Job& job = context.job();
  Connection& db = services.store.reader();
  auto stored = load_job_article(db, services.objects, job);
  if (!stored) co_return StepOutcome::fail(stored.error());
  const std::string& s3_key = stored->article.s3_key;
  const std::string& agent_id = stored->article.agent_id;
  std::optional<storage::Agent> agent = storage::find_agent(db, agent_id);
  if (!agent) co_return StepOutcome::fail("Agent " + agent_id + " no longer exists");
  const ArticleFile* file = &stored->file;
  std::string site_host = site_host_of(db, *agent);
  seo::AnalysisReport report = co_await analyze_file(services, *file, site_host);
  context.scratch()["brief"] = brief_json(brief_for(*agent, file->keyword));
  context.scratch()["site_host"] = site_host;
  context.scratch()["file"] = file_json(*file);
  context.scratch()["before"] = scores_json(report);
  json::array failing;
  for (const std::string& id : failing_assessments(report))
    failing.emplace_back(id);
  context.scratch()["failing"] = std::move(failing);
  json::array readability_problems;
  for (const seo::Assessment& assessment : report.assessments) {
    if (assessment.category == seo::Category::readability && assessment.rating != seo::Rating::good)
      readability_problems.emplace_back(assessment.message);
  }
  context.scratch()["readability_problems"] = std::move(readability_problems);
  co_return StepOutcome::ok("Loaded " + s3_key + ": " + scores_message(report));
}

bool has_faq(const std::string& body) {
  return contains_keyword(body, "## Frequently Asked") || contains_keyword(body, "## FAQ");
}

EnhanceGuidance guidance_for(const ArticleBrief& brief, const ArticleFile& file,
                             const json::object& scratch) {
  EnhanceGuidance guidance;
  std::int64_t words = scratch.at("before").as_object().at("word_count").as_int64();
  // Toward the agent's target; an article already there grows by a fifth.
  guidance.word_target = words < brief.word_target * 9 / 10 ? brief.word_target : words * 6 / 5;
  guidance.add_faq = !has_faq(file.body_markdown);
  for (const json::value& problem : scratch.at("readability_problems").as_array())
    guidance.readability_problems.emplace_back(problem.as_string());
  for (const std::string& topic : brief.related_keywords) {
    if (!contains_keyword(file.body_markdown, topic)) guidance.missing_subtopics.push_back(topic);
  }
  return guidance;
}

asio::awaitable<StepOutcome> enhance_step(ContentServices& services, JobContext& context) {
  ArticleBrief brief = brief_from(context.scratch().at("brief").as_object());
  ArticleFile file = file_from(context.scratch().at("file").as_object());
  EnhanceGuidance guidance = guidance_for(brief, file, context.scratch());
  WrittenArticle current;
  current.title = file.title;
  current.meta_description = file.meta_description;
  current.body_markdown = file.body_markdown;
  Expected<WrittenArticle, WriterFailure> enhanced =
      co_await services.writer->enhance(brief, current, guidance);
  if (!enhanced) co_return writer_failed(enhanced.error());
  add_usage(context, enhanced->usage);
  file.title = enhanced->title;
  file.meta_description = enhanced->meta_description;
  file.body_markdown = enhanced->body_markdown;
  file.writer = std::string(services.writer->name());
  file.model = services.writer->model();
  context.scratch()["file"] = file_json(file);
  co_return StepOutcome::ok("Article deepened toward " + std::to_string(guidance.word_target) +
                            " words");
}

// Has the writer rewrite `span` of the body to follow `instruction`.
asio::awaitable<Expected<std::string, WriterFailure>> rewritten(ContentServices& services,
                                                                const ArticleBrief& brief,
                                                                const std::string& body,
                                                                ParagraphSpan span,
                                                                std::string instruction) {
  std::string paragraph = body.substr(span.begin, span.end - span.begin);
  co_return co_await services.writer->rewrite_paragraph(brief, paragraph, instruction);
}

json::array changes_json(const std::vector<OptimizationChange>& changes) {
  json::array out;
  for (const OptimizationChange& change : changes) {
    json::object item;
    item["assessment"] = change.assessment;
    item["change"] = change.change;
    out.emplace_back(std::move(item));
  }
  return out;
}

std::vector<RelatedArticle> related_articles(ContentServices& services, const storage::Job& job) {
  std::vector<RelatedArticle> related;
  for (const Article& other : storage::list_recent_agent_articles(
           services.store.reader(), job.agent_id, kMaxRelatedLinks + 1)) {
    if (other.s3_key == job.s3_key || related.size() == kMaxRelatedLinks) continue;
    related.push_back({other.title, other.wp_url.value_or("/" + other.slug + "/")});
  }
  return related;
}

// Occurrences the keyphrase still needs for a density of 1% (inside Yoast's 0.5–3%).
std::size_t missing_occurrences(const ArticleFile& file, std::int64_t word_count) {
  std::size_t count = 0;
  std::string body = ascii_lowercase(file.body_markdown);
  std::string keyword = ascii_lowercase(file.keyword);
  for (std::size_t at = body.find(keyword); at != std::string::npos;
       at = body.find(keyword, at + keyword.size()))
    ++count;
  std::size_t wanted = static_cast<std::size_t>(std::ceil(word_count / 100.0));
  return wanted > count ? wanted - count : 0;
}

asio::awaitable<StepOutcome> optimize_step(ContentServices& services, JobContext& context) {
  ArticleBrief brief = brief_from(context.scratch().at("brief").as_object());
  ArticleFile file = file_from(context.scratch().at("file").as_object());
  std::set<std::string> failing;
  for (const json::value& id : context.scratch().at("failing").as_array())
    failing.emplace(id.as_string());
  std::vector<OptimizationChange> changes =
      apply_structural_fixes(file, failing, related_articles(services, context.job()));
  if (failing.contains("keyphrase_in_introduction")) {
    if (auto intro = introduction_paragraph(file.body_markdown)) {
      auto paragraph = co_await rewritten(
          services, brief, file.body_markdown, *intro,
          "Use the exact keyphrase \"" + file.keyword + "\" in the first sentence.");
      if (!paragraph) co_return writer_failed(paragraph.error());
      file.body_markdown.replace(intro->begin, intro->end - intro->begin, *paragraph);
      changes.push_back(
          {"keyphrase_in_introduction", "Introduction rewritten around the keyphrase"});
    }
  }
  if (failing.contains("keyphrase_density")) {
    std::int64_t words = context.scratch().at("before").as_object().at("word_count").as_int64();
    std::size_t needed = std::min(missing_occurrences(file, words), kMaxDensityRewrites);
    std::vector<ParagraphSpan> spans =
        paragraphs_without_keyword(file.body_markdown, file.keyword, needed);
    // From the last to the first, so that the spans before stay valid.
    for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
      auto paragraph = co_await rewritten(
          services, brief, file.body_markdown, *span,
          "Work the exact keyphrase \"" + file.keyword + "\" into this paragraph naturally.");
      if (!paragraph) co_return writer_failed(paragraph.error());
      file.body_markdown.replace(span->begin, span->end - span->begin, *paragraph);
    }
    if (!spans.empty()) {
      changes.push_back(
          {"keyphrase_density",
           "Keyphrase worked into " + std::to_string(spans.size()) + " more paragraphs"});
    }
  }
  context.scratch()["file"] = file_json(file);
  context.result()["changes"] = changes_json(changes);
  co_return StepOutcome::ok(std::to_string(changes.size()) + " changes made");
}

// Keeps the current body as version N under versions/ and stores the new one as N + 1, with the
// article's numbers, in one write (see store_new_article for why the puts run there). A job run
// again finds its version already written.
Article store_new_version(ContentServices& services, Connection& db, const storage::Job& job,
                          const ArticleFile& file, const json::object& report, std::int64_t now) {
  std::optional<Article> article = storage::find_article(db, job.s3_key.value_or(""));
  if (!article || article->status != "active") throw std::runtime_error("the article is gone");
  if (article->updated_by_job == job.id) return *article;
  auto current = services.objects.get(article->s3_key, kMaxArticleBytes);
  if (!current) throw std::runtime_error(current.error().message);
  put_object(services.objects, article_version_key(article->s3_key, article->version), *current);
  put_object(services.objects, article->s3_key, render_article_file(file));
  Article changed = *article;
  changed.title = file.title;
  changed.meta_description = file.meta_description;
  changed.slug = file.slug;
  changed.word_count = report.at("word_count").as_int64();
  changed.seo_score = report.at("seo_score").as_int64();
  changed.readability_score = report.at("readability_score").as_int64();
  changed.updated_by_job = job.id;
  return storage::update_article_content(db, changed, now);
}

asio::awaitable<StepOutcome> store_version_step(ContentServices& services, JobContext& context) {
  std::optional<Article> stored = co_await store_article(services, context, store_new_version);
  if (!stored) co_return storage_unavailable();
  json::object& result = context.result();
  write_article_result(result, *stored);
  result["before"] = context.scratch().at("before");
  result["after"] = context.scratch().at("report");
  co_return StepOutcome::ok("Version " + std::to_string(stored->version) + " stored at " +
                            stored->s3_key);
}

using StepFunction = asio::awaitable<StepOutcome> (*)(ContentServices&, JobContext&);

struct StepSpec {
  const char* name;
  std::int64_t percent;
  StepFunction run;
};

Pipeline pipeline_of(ContentServices& services, std::initializer_list<StepSpec> specs) {
  Pipeline pipeline;
  for (const StepSpec& spec : specs) {
    StepFunction run = spec.run;
    pipeline.steps.push_back({spec.name, spec.percent, [&services, run](JobContext& context) {
                                return run(services, context);
                              }});
  }
  return pipeline;
}

}  // namespace

Pipeline create_pipeline(ContentServices& services) {
  return pipeline_of(services, {{"outline", 20, outline_step},
                                {"draft", 70, draft_step},
                                {"analyze", 85, analyze_step},
                                {"store", 100, store_article_step}});
}

Pipeline enhance_pipeline(ContentServices& services) {
  return pipeline_of(services, {{"load", 15, load_article_step},
                                {"enhance", 70, enhance_step},
                                {"analyze", 85, analyze_step},
                                {"store", 100, store_version_step}});
}

Pipeline optimize_pipeline(ContentServices& services) {
  return pipeline_of(services, {{"load", 15, load_article_step},
                                {"optimize", 70, optimize_step},
                                {"analyze", 85, analyze_step},
                                {"store", 100, store_version_step}});
}

}  // namespace seoagents::jobs
