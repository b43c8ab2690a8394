// Rendering and parsing of the stored article file (front matter + Markdown).
#include "jobs/article_file.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "core/json_writer.hpp"

namespace seoagents::jobs {
namespace {

constexpr std::string_view kFence = "---\n";

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ");
  append_json_string(out, value);
  out.push_back('\n');
}

// One `name: "value"` line: false when it is not one.
bool parse_field(std::string_view line, ArticleFile& file) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);
  std::string_view raw = line.substr(colon + 1);
  while (!raw.empty() && raw.front() == ' ')
    raw.remove_prefix(1);
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(raw, error);
  if (error || !value.is_string()) return false;
  std::string text(value.get_string());
  if (name == "title")
    file.title = std::move(text);
  else if (name == "meta_description")
    file.meta_description = std::move(text);
  else if (name == "slug")
    file.slug = std::move(text);
  else if (name == "keyword")
    file.keyword = std::move(text);
  else if (name == "writer")
    file.writer = std::move(text);
  else if (name == "model")
    file.model = std::move(text);
  return true;
}

}  // namespace

std::string render_article_file(const ArticleFile& file) {
  std::string out(kFence);
  append_field(out, "title", file.title);
  append_field(out, "meta_description", file.meta_description);
  append_field(out, "slug", file.slug);
  append_field(out, "keyword", file.keyword);
  append_field(out, "writer", file.writer);
  append_field(out, "model", file.model);
  out.append(kFence);
  out.append(file.body_markdown);
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
  return out;
}

std::optional<ArticleFile> parse_article_file(std::string_view text) {
  if (!text.starts_with(kFence)) return std::nullopt;
  text.remove_prefix(kFence.size());
  ArticleFile file;
  while (true) {
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    if (line == "---") break;
    if (!parse_field(line, file)) return std::nullopt;
  }
  file.body_markdown = std::string(text);
  return file;
}

std::string article_key(std::string_view agent_id, std::string_view slug) {
  std::string key = "articles/";
  key.append(agent_id).append("/").append(slug).append(".md");
  return key;
}

std::string article_versions_prefix(std::string_view s3_key) {
  std::size_t slash = s3_key.rfind('/');
  std::string_view directory = s3_key.substr(0, slash == std::string_view::npos ? 0 : slash + 1);
  std::string_view name = s3_key.substr(directory.size());
  if (name.ends_with(".md")) name.remove_suffix(3);
  std::string prefix(directory);
  prefix.append("versions/").append(name).append("/");
  return prefix;
}

std::string article_version_key(std::string_view s3_key, std::int64_t version) {
  return article_versions_prefix(s3_key) + "v" + std::to_string(version) + ".md";
}

Expected<StoredArticle, std::string> load_job_article(storage::Connection& db,
                                                      storage::ObjectStore& objects,
                                                      const storage::Job& job) {
  std::string s3_key = job.s3_key.value_or("");
  std::optional<storage::Article> article = storage::find_article(db, s3_key);
  if (!article || article->account_id != job.account_id)
    return unexpected("Article not found: " + s3_key);
  if (article->status != "active") return unexpected("Article expired: " + s3_key);
  auto body = objects.get(s3_key, kMaxArticleBytes);
  if (!body) return unexpected("The article's body could not be read: " + body.error().message);
  std::optional<ArticleFile> file = parse_article_file(*body);
  if (!file) return unexpected("The article's file is malformed: " + s3_key);
  return StoredArticle{std::move(*article), std::move(*file)};
}

}  // namespace seoagents::jobs
