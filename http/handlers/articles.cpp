// /v1/dashboard/articles (the account's articles, cursor-paginated), /articles/analysis (every
// assessment of one article), /preview (the article as a complete, inert HTML page) and
// /analyze (score any text without storing it).
#include "storage/articles.hpp"

#include <boost/beast/http/field.hpp>
#include <charconv>

#include "core/clock.hpp"
#include "core/compute_pool.hpp"
#include "core/json_writer.hpp"
#include "core/url_guard.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/representations.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/article_file.hpp"
#include "seo/analysis.hpp"
#include "seo/markdown.hpp"
#include "storage/accounts.hpp"
#include "storage/object_store.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "articles";
constexpr std::string_view kKind = "Article";
// Largest article body read back from the object store.
constexpr std::size_t kMaxArticleBytes = 4 * 1024 * 1024;
// The preview runs no script and loads nothing but images, whatever the Markdown holds; its own
// styles are inline.
constexpr std::string_view kPreviewPolicy =
    "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'";

// The API's sort field to the store's column.
std::string_view sort_column(std::string_view field) {
  if (field == "score") return "seo_score";
  return field;
}

std::variant<std::int64_t, std::string> sort_value(const storage::Article& article,
                                                   std::string_view field) {
  if (field == "score") return article.seo_score;
  if (field == "word_count") return article.word_count;
  return article.created_at;
}

ApiError invalid_query(std::string_view name, std::string issue) {
  std::string message("Invalid query parameter: ");
  message.append(name);
  return ApiError{bhttp::status::bad_request,
                  "VALIDATION_ERROR",
                  std::move(message),
                  {{std::string(name), std::move(issue)}}};
}

Expected<storage::ArticleFilter, ApiError> article_filter(std::string_view query) {
  storage::ArticleFilter filter;
  filter.agent_id = query_parameter(query, "agent_id").value_or("");
  if (auto min_score = query_parameter(query, "min_score")) {
    std::int64_t value = -1;
    auto [end, ec] =
        std::from_chars(min_score->data(), min_score->data() + min_score->size(), value);
    if (ec != std::errc() || end != min_score->data() + min_score->size() || value < 0 ||
        value > 100) {
      return unexpected(invalid_query("min_score", "must be an integer from 0 to 100"));
    }
    filter.min_score = value;
  }
  return filter;
}

asio::awaitable<Response> list_articles(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page = parse_page_request(context.query, kList, account_id,
                                 {"created_at", "score", "word_count"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto filter = article_filter(context.query);
  if (!filter) co_return error_response(context, filter.error());
  auto articles = storage::list_articles(services.store->reader(), account_id, *filter,
                                         sort_column(page->sort_field), page->descending,
                                         page_position(page->after), page->limit + 1);
  auto position_of = [&page](const storage::Article& article) {
    return cursor_position(sort_value(article, page->sort_field), article.s3_key);
  };
  co_return json_response(bhttp::status::ok, render_list_page(articles, *page, *services.cursors,
                                                              position_of, write_article));
}

// The caller's active article named by ?s3_key= (else 400, 404 — expired included — or 403).
Expected<storage::Article, ApiError> owned_article(const ResourceServices& services,
                                                   const RequestContext& context) {
  std::optional<std::string> s3_key = query_parameter(context.query, "s3_key");
  if (!s3_key || s3_key->empty()) {
    return unexpected(invalid_query("s3_key", "is required"));
  }
  if (s3_key->size() > storage::kMaxObjectKeyBytes) {
    return unexpected(invalid_query("s3_key", "must be at most 1024 bytes"));
  }
  auto article = storage::find_article(services.store->reader(), *s3_key);
  if (!article || article->status != "active" || article->expires_at <= storage::now_ms()) {
    return unexpected(errors::not_found(kKind, *s3_key));
  }
  if (article->account_id != context.principal->account_id) {
    return unexpected(errors::forbidden(kKind, *s3_key));
  }
  return *article;
}

// The article's stored file; a body gone from the object store reads as a missing article.
Expected<jobs::ArticleFile, ApiError> article_file(const ResourceServices& services,
                                                   const storage::Article& article,
                                                   std::string_view request_id) {
  auto body = services.objects->get(article.s3_key, kMaxArticleBytes);
  if (!body && body.error().kind == storage::ObjectError::Kind::not_found) {
    return unexpected(errors::not_found(kKind, article.s3_key));
  }
  std::optional<jobs::ArticleFile> file;
  if (body) file = jobs::parse_article_file(*body);
  if (!file) {
    services.logger->error(
        "article_unreadable",
        {{"s3_key", article.s3_key},
         {"request_id", request_id},
         {"error", body ? std::string("malformed front matter") : body.error().message}});
    return unexpected(ApiError{bhttp::status::internal_server_error,
                               "INTERNAL_ERROR",
                               "The article could not be read",
                               {}});
  }
  return *file;
}

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string preview_page(const jobs::ArticleFile& file, const std::string& body_html) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_html_escaped(page, file.title);
  page += "</title>\n<meta name=\"description\" content=\"";
  append_html_escaped(page, file.meta_description);
  page +=
      "\">\n<style>body{max-width:46rem;margin:2rem auto;padding:0 1rem;font:17px/1.6 "
      "Georgia,serif;color:#222}h1,h2,h3{font-family:Helvetica,Arial,sans-serif;line-height:1.25}"
      "img{max-width:100%}code,pre{background:#f4f4f4}pre{padding:1rem;overflow:auto}</style>\n"
      "</head>\n<body>\n<article>\n<h1>";
  append_html_escaped(page, file.title);
  page += "</h1>\n";
  page += body_html;
  page += "</article>\n</body>\n</html>\n";
  return page;
}

asio::awaitable<Response> preview(const ResourceServices& services, RequestContext& context) {
  auto article = owned_article(services, context);
  if (!article) co_return error_response(context, article.error());
  auto file = article_file(services, *article, context.request_id);
  if (!file) co_return error_response(context, file.error());
  auto render = [markdown = file->body_markdown] { return seo::render_markdown_html(markdown); };
  std::string body_html = co_await services.compute->run(std::move(render));
  Response response(bhttp::status::ok, 11);
  response.set(bhttp::field::content_type, "text/html; charset=utf-8");
  response.set("Content-Security-Policy", kPreviewPolicy);
  response.set(bhttp::field::cache_control, "private, no-store");
  response.body() = preview_page(*file, body_html);
  co_return response;
}

void write_report(JsonWriter& json, const seo::AnalysisReport& report) {
  const seo::TextMetrics& metrics = report.metrics;
  json.member("seo_score", report.seo_score)
      .member("readability_score", report.readability_score)
      .key("metrics")
      .begin_object()
      .member("word_count", metrics.word_count)
      .member("sentence_count", metrics.sentence_count)
      .member("paragraph_count", metrics.paragraph_count)
      .member("subheading_count", metrics.subheading_count)
      .member("keyphrase_count", metrics.keyphrase_count)
      .member("keyphrase_density", metrics.keyphrase_density)
      .member("flesch_reading_ease", metrics.flesch_reading_ease)
      .member("title_width_px", metrics.title_width_px)
      .member("meta_description_length", metrics.meta_description_length)
      .end_object()
      .key("assessments")
      .begin_array();
  for (const seo::Assessment& assessment : report.assessments) {
    json.begin_object()
        .member("id", assessment.id)
        .member("category", seo::to_string(assessment.category))
        .member("score", assessment.score)
        .member("rating", seo::to_string(assessment.rating))
        .member("message", assessment.message)
        .end_object();
  }
  json.end_array();
}

asio::awaitable<seo::AnalysisReport> analyze(const ResourceServices& services,
                                             seo::AnalysisInput input) {
  auto analysis = [input = std::move(input)] { return seo::analyze(input); };
  co_return co_await services.compute->run(std::move(analysis));
}

asio::awaitable<Response> article_analysis(const ResourceServices& services,
                                           RequestContext& context) {
  auto article = owned_article(services, context);
  if (!article) co_return error_response(context, article.error());
  auto file = article_file(services, *article, context.request_id);
  if (!file) co_return error_response(context, file.error());
  seo::AnalysisInput input;
  input.keyword = file->keyword;
  input.title = file->title;
  input.meta_description = file->meta_description;
  input.slug = file->slug;
  input.content = file->body_markdown;
  seo::AnalysisReport report = co_await analyze(services, std::move(input));
  std::string body;
  JsonWriter json(body);
  json.begin_object()
      .member("s3_key", article->s3_key)
      .member("keyword", file->keyword)
      .member("title", file->title);
  write_report(json, report);
  json.end_object();
  co_return json_response(bhttp::status::ok, std::move(body));
}

asio::awaitable<Response> analyze_text(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only(
      {"keyword", "title", "meta_description", "slug", "content", "content_format", "site_url"});
  auto keyword = fields.text("keyword", true, 1, 200);
  auto title = fields.text("title", false, 0, 500);
  auto meta = fields.text("meta_description", false, 0, 1000);
  auto slug = fields.text("slug", false, 0, 500);
  auto content = fields.text("content", true, 1, 500'000);
  auto format = fields.choice("content_format", false, {"markdown", "html"});
  auto site_url = fields.text("site_url", false, 1, 2048);
  seo::AnalysisInput input;
  if (site_url) {
    auto url = parse_outbound_url(*site_url);
    if (url) {
      input.site_host = url->host;
    } else {
      fields.fail("site_url", "must be an http(s) URL");
    }
  }
  if (!fields.ok()) co_return error_response(context, fields.error());
  input.keyword = *keyword;
  input.title = title.value_or("");
  input.meta_description = meta.value_or("");
  input.slug = slug.value_or("");
  input.content = *content;
  input.format = format.value_or("markdown") == "html" ? seo::ContentFormat::html
                                                       : seo::ContentFormat::markdown;
  seo::AnalysisReport report = co_await analyze(services, std::move(input));
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  write_report(json, report);
  json.end_object();
  co_return json_response(bhttp::status::ok, std::move(out));
}

}  // namespace

void add_article_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/articles", bind(list_articles));
  router.add(bhttp::verb::get, "/v1/dashboard/articles/analysis", bind(article_analysis));
  router.add(bhttp::verb::get, "/v1/dashboard/preview", bind(preview));
  router.add(bhttp::verb::post, "/v1/dashboard/analyze", bind(analyze_text));
}

}  // namespace seoagents::http::handlers
