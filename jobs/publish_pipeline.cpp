// The steps of the publish pipeline (see publish_pipeline.hpp).
#include "jobs/publish_pipeline.hpp"

#include <algorithm>
#include <string_view>

#include "jobs/article_file.hpp"
#include "jobs/wordpress/elementor.hpp"
#include "jobs/wordpress/posts.hpp"
#include "seo/markdown.hpp"
#include "storage/articles.hpp"
#include "storage/sites.hpp"
#include "storage/webhook_events.hpp"

namespace seoagents::jobs {
namespace {

namespace json = boost::json;
using storage::Article;
using storage::Connection;
using wordpress::Post;
using wordpress::PostFailure;
using wordpress::PostFields;
using wordpress::PostResult;

// Largest article body read back from the object store.
constexpr std::string_view kElementorAction = "elementor_publish";
// The Elementor meta that carries the layout, and the one that makes Elementor render it.
constexpr std::string_view kElementorDataKey = "_elementor_data";
constexpr std::string_view kElementorModeKey = "_elementor_edit_mode";
// The REST namespace of an active Elementor.
constexpr std::string_view kElementorNamespace = "elementor/v1";

bool elementor_requested(const storage::Job& job) {
  return job.publish_action.value_or("publish") == kElementorAction;
}

std::string requested_status(const storage::Job& job) {
  return job.status_on_publish.value_or("draft");
}

StepOutcome outcome_of(const PostFailure& failure) {
  return failure.retryable ? StepOutcome::retry(failure.message)
                           : StepOutcome::fail(failure.message);
}

// ---- render ----

json::object elementor_meta(const ArticleFile& file, std::string_view s3_key) {
  json::object meta;
  meta[kElementorModeKey] = "builder";
  meta["_elementor_template_type"] = "wp-post";
  meta[kElementorDataKey] = wordpress::elementor_data(file.body_markdown, s3_key);
  meta["_elementor_version"] = wordpress::kElementorVersion;
  return meta;
}

// What the post will hold: the HTML of the body followed by the article's marker comment.
PostFields post_fields(const ArticleFile& file, const std::string& s3_key, std::string status,
                       bool elementor) {
  PostFields fields;
  fields.title = file.title;
  fields.content = seo::render_markdown_html(file.body_markdown);
  fields.content.append("\n").append(wordpress::marker_comment(wordpress::article_marker(s3_key)));
  fields.status = std::move(status);
  fields.slug = file.slug;
  fields.excerpt = file.meta_description;
  if (elementor) fields.meta = elementor_meta(file, s3_key);
  return fields;
}

json::object fields_json(const PostFields& fields) {
  json::object object;
  object["title"] = fields.title;
  object["content"] = fields.content;
  object["status"] = fields.status;
  object["slug"] = fields.slug;
  object["excerpt"] = fields.excerpt;
  object["meta"] = fields.meta;
  return object;
}

PostFields fields_from(const json::object& object) {
  PostFields fields;
  fields.title = scratch_text(object, "title");
  fields.content = scratch_text(object, "content");
  fields.status = scratch_text(object, "status");
  fields.slug = scratch_text(object, "slug");
  fields.excerpt = scratch_text(object, "excerpt");
  fields.meta = object.at("meta").as_object();
  return fields;
}

std::string rendered_message(const PostFields& fields, bool elementor) {
  std::string message = "Rendered \"" + fields.title + "\" as HTML (" +
                        std::to_string(fields.content.size()) + " bytes)";
  if (elementor) message.append(" and as an Elementor layout");
  return message;
}

asio::awaitable<StepOutcome> render_step(PublishServices& services, JobContext& context) {
  const storage::Job& job = context.job();
  auto loaded = load_job_article(services.store.reader(), services.objects, job);
  if (!loaded) co_return StepOutcome::fail(loaded.error());
  bool elementor = elementor_requested(job);
  auto render = [file = std::move(loaded->file), s3_key = loaded->article.s3_key,
                 status = requested_status(job),
                 elementor]() { return post_fields(file, s3_key, status, elementor); };
  PostFields fields = co_await services.compute.run(std::move(render));
  context.scratch()["post"] = fields_json(fields);
  co_return StepOutcome::ok(rendered_message(fields, elementor));
}

// ---- upload ----

Expected<wordpress::SiteCredentials, StepOutcome> site_credentials(PublishServices& services,
                                                                   const storage::Job& job) {
  std::string site_id = job.site_id.value_or("");
  std::optional<storage::Site> site = storage::find_site(services.store.reader(), site_id);
  if (!site || site->account_id != job.account_id)
    return unexpected(StepOutcome::fail("Site " + site_id + " no longer exists"));
  std::optional<std::string> password = services.secrets.open(site->password_sealed, site->id);
  if (!password) {
    return unexpected(StepOutcome::fail(
        "The application password of site " + site_id +
        " cannot be opened with this server's master key; set it again with PUT /sites/" +
        site_id));
  }
  return wordpress::SiteCredentials{site->url, site->username, std::move(*password)};
}

// The post the article is known to be on the job's site, if any.
std::optional<std::int64_t> known_post_id(PublishServices& services, const storage::Job& job) {
  std::optional<Article> article =
      storage::find_article(services.store.reader(), job.s3_key.value_or(""));
  if (!article || !article->wp_post_id || article->wp_site_id != job.site_id) return std::nullopt;
  return article->wp_post_id;
}

// Where the post ended up, and how: "created", "updated" or "recreated" (the known post had
// been deleted).
struct PlacedPost {
  Post post;
  std::string operation;
};

PlacedPost placed(Post post, std::string_view operation) {
  PlacedPost out;
  out.post = std::move(post);
  out.operation = operation;
  return out;
}

PostFailure vanished(std::int64_t id) {
  PostFailure failure;
  failure.retryable = true;
  failure.message =
      "Post " + std::to_string(id) + " disappeared from the site while it was updated";
  return failure;
}

std::string gone_message(std::int64_t id) {
  return "Post " + std::to_string(id) + " no longer exists on the site: publishing afresh";
}

// Updates the post carrying the article's marker, or creates the post when none does.
asio::awaitable<PostResult<PlacedPost>> find_or_create(PublishServices& services,
                                                       const wordpress::SiteCredentials& site,
                                                       const PostFields& fields,
                                                       std::string_view marker,
                                                       std::string_view created_operation) {
  auto found = co_await wordpress::find_marked_post(services.outbound, site, marker);
  if (!found) co_return unexpected(found.error());
  if (!*found) {
    auto created = co_await wordpress::create_post(services.outbound, site, fields);
    if (!created) co_return unexpected(created.error());
    co_return placed(std::move(created).value(), created_operation);
  }
  std::int64_t id = (*found)->id;
  auto updated = co_await wordpress::update_post(services.outbound, site, id, fields);
  if (!updated) co_return unexpected(updated.error());
  if (!*updated) co_return unexpected(vanished(id));
  co_return placed(std::move(**updated), "updated");
}

// Updates the article's known post; when it is gone (or none is known), find_or_create.
asio::awaitable<PostResult<PlacedPost>> place_post(PublishServices& services, JobContext& context,
                                                   const wordpress::SiteCredentials& site,
                                                   const PostFields& fields) {
  const storage::Job& job = context.job();
  std::string marker = wordpress::article_marker(job.s3_key.value_or(""));
  std::optional<std::int64_t> known = known_post_id(services, job);
  if (!known) co_return co_await find_or_create(services, site, fields, marker, "created");
  auto updated = co_await wordpress::update_post(services.outbound, site, *known, fields);
  if (!updated) co_return unexpected(updated.error());
  if (*updated) co_return placed(std::move(**updated), "updated");
  co_await context.progress(50, gone_message(*known));
  co_return co_await find_or_create(services, site, fields, marker, "recreated");
}

std::string placed_message(const PlacedPost& placed) {
  return "Post " + std::to_string(placed.post.id) + " " + placed.operation + " (status " +
         placed.post.status + ")";
}

asio::awaitable<StepOutcome> upload_step(PublishServices& services, JobContext& context) {
  auto site = site_credentials(services, context.job());
  if (!site) co_return site.error();
  auto accepted = co_await wordpress::check_credentials(services.outbound, *site);
  if (!accepted) co_return outcome_of(accepted.error());
  PostFields fields = fields_from(context.scratch().at("post").as_object());
  PostResult<PlacedPost> placed = co_await place_post(services, context, *site, fields);
  if (!placed) co_return outcome_of(placed.error());
  context.scratch()["wp_post_id"] = placed->post.id;
  context.scratch()["operation"] = placed->operation;
  co_return StepOutcome::ok(placed_message(*placed));
}

// ---- confirm ----

bool has_text(const json::object& meta, std::string_view key) {
  const json::value* value = meta.if_contains(key);
  return value && value->is_string() && !value->get_string().empty();
}

bool elementor_layout_kept(const Post& post) {
  return has_text(post.meta, kElementorDataKey) &&
         scratch_text(post.meta, kElementorModeKey) == "builder";
}

// Why the site dropped the Elementor meta, from the namespaces it announces (empty: unknown).
std::string elementor_warning(const std::vector<std::string>& namespaces) {
  std::string why;
  if (namespaces.empty()) {
    why = "Elementor is not active on the site or is older than 3.27";
  } else if (std::ranges::find(namespaces, kElementorNamespace) == namespaces.end()) {
    why = "Elementor is not active on the site";
  } else {
    why =
        "Elementor on the site is older than 3.27 (the first to accept its layout through the "
        "REST API) or is not enabled for posts";
  }
  return "The Elementor layout was not accepted: " + why +
         ", so WordPress did not store the _elementor_data meta. The post was published with "
         "the article's HTML as its content";
}

std::string still_elementor_warning() {
  return "The post is still laid out with Elementor from an earlier elementor_publish: Elementor "
         "shows that layout, not this content. Publish with publish_action elementor_publish to "
         "update the layout, or switch the post back to the WordPress editor";
}

std::string status_warning(const Post& post, const std::string& requested) {
  return "WordPress set the post's status to \"" + post.status + "\" (\"" + requested +
         "\" was asked)";
}

// What the job should tell about the post as read back.
asio::awaitable<json::array> post_warnings(PublishServices& services, const storage::Job& job,
                                           const wordpress::SiteCredentials& site,
                                           const Post& post) {
  json::array warnings;
  std::string requested = requested_status(job);
  if (post.status != requested) warnings.emplace_back(status_warning(post, requested));
  if (elementor_requested(job) && !elementor_layout_kept(post)) {
    auto namespaces = co_await wordpress::rest_namespaces(services.outbound, site.url);
    std::vector<std::string> announced;
    if (namespaces) announced = std::move(namespaces).value();
    warnings.emplace_back(elementor_warning(announced));
  } else if (!elementor_requested(job) && scratch_text(post.meta, kElementorModeKey) == "builder") {
    warnings.emplace_back(still_elementor_warning());
  }
  co_return warnings;
}

json::object published_event(const Article& article, const storage::Job& job) {
  json::object data;
  data["s3_key"] = article.s3_key;
  data["agent_id"] = article.agent_id;
  data["job_id"] = job.id;
  data["site_id"] = article.wp_site_id.value_or("");
  data["wp_post_id"] = article.wp_post_id.value_or(0);
  data["url"] = article.wp_url.value_or("");
  data["publish_status"] = article.wp_status.value_or("");
  data["seo_score"] = article.seo_score;
  data["title"] = article.title;
  return data;
}

// In one write: the article's post, and the article.published event (once per job: a job that
// runs again after this write committed records the post again but not a second event).
std::optional<Article> record_publication(Connection& db, const storage::Job& job, const Post& post,
                                          std::int64_t now) {
  std::string s3_key = job.s3_key.value_or("");
  std::optional<Article> before = storage::find_article(db, s3_key);
  if (!before) return std::nullopt;
  bool recorded_before = before->published_by_job == job.id && before->wp_post_id == post.id;
  storage::ArticlePublication publication;
  publication.site_id = job.site_id.value_or("");
  publication.wp_post_id = post.id;
  publication.wp_url = post.link;
  publication.wp_status = post.status;
  publication.job_id = job.id;
  std::optional<Article> after = storage::record_article_publication(db, s3_key, publication, now);
  if (!recorded_before) {
    storage::record_webhook_event(db, job.account_id, "article.published",
                                  published_event(*after, job), now);
  }
  return after;
}

void write_publish_result(json::object& result, const storage::Job& job, const Article& article,
                          std::string operation, json::array warnings) {
  result["s3_key"] = article.s3_key;
  result["site_id"] = article.wp_site_id.value_or("");
  result["wp_post_id"] = article.wp_post_id.value_or(0);
  result["wp_url"] = article.wp_url.value_or("");
  result["wp_status"] = article.wp_status.value_or("");
  result["publish_action"] = job.publish_action.value_or("publish");
  result["operation"] = std::move(operation);
  result["warnings"] = std::move(warnings);
}

std::string confirmed_message(const Article& article, std::size_t warnings) {
  std::string message = "Post " + std::to_string(article.wp_post_id.value_or(0)) + " is " +
                        article.wp_status.value_or("") + " at " + article.wp_url.value_or("");
  if (warnings > 0) message.append(" (").append(std::to_string(warnings)).append(" warnings)");
  return message;
}

StepOutcome post_gone(std::int64_t id) {
  return StepOutcome::retry("Post " + std::to_string(id) +
                            " could not be read back: it was deleted right after the upload");
}

StepOutcome storage_unavailable() {
  return StepOutcome::retry("The publication could not be recorded now (storage unavailable)");
}

StepOutcome article_gone(const storage::Job& job) {
  return StepOutcome::fail("Article " + job.s3_key.value_or("") +
                           " was removed while it was published");
}

asio::awaitable<StepOutcome> confirm_step(PublishServices& services, JobContext& context) {
  storage::Job job = context.job();
  auto site = site_credentials(services, job);
  if (!site) co_return site.error();
  std::int64_t id = context.scratch().at("wp_post_id").as_int64();
  auto read = co_await wordpress::read_post(services.outbound, *site, id);
  if (!read) co_return outcome_of(read.error());
  if (!*read) co_return post_gone(id);
  Post post = std::move(**read);
  json::array warnings = co_await post_warnings(services, job, *site, post);
  std::int64_t now = storage::now_ms();
  auto record = [&job, &post, now](Connection& db) {
    return record_publication(db, job, post, now);
  };
  auto stored = co_await services.store.write<std::optional<Article>>(std::move(record));
  if (!stored) co_return storage_unavailable();
  if (!*stored) co_return article_gone(job);
  const Article& article = **stored;
  std::size_t warning_count = warnings.size();
  write_publish_result(context.result(), job, article, scratch_text(context.scratch(), "operation"),
                       std::move(warnings));
  co_return StepOutcome::ok(confirmed_message(article, warning_count));
}

using StepFunction = asio::awaitable<StepOutcome> (*)(PublishServices&, JobContext&);

Step step(PublishServices& services, const char* name, std::int64_t percent, StepFunction run) {
  return Step{name, percent,
              [&services, run](JobContext& context) { return run(services, context); }};
}

}  // namespace

Pipeline publish_pipeline(PublishServices& services) {
  Pipeline pipeline;
  pipeline.steps.push_back(step(services, "render", 20, render_step));
  pipeline.steps.push_back(step(services, "upload", 75, upload_step));
  pipeline.steps.push_back(step(services, "confirm", 100, confirm_step));
  return pipeline;
}

}  // namespace seoagents::jobs
