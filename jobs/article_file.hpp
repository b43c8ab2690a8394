// The stored form of an article: Markdown with a small front matter, as kept in the object store
// under `articles/{agent_id}/{slug}.md` (earlier versions under
// `articles/{agent_id}/versions/{slug}/v{n}.md`):
//
//   ---
//   title: "Trade Show Booth Cost: What to Budget"
//   meta_description: "…"
//   slug: "trade-show-booth-cost"
//   keyword: "trade show booth cost"
//   writer: "builtin"
//   model: "builtin-1"
//   ---
//   The article's Markdown …
//
// Values are JSON strings (also valid YAML), so any title round-trips.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "storage/articles.hpp"
#include "storage/jobs.hpp"
#include "storage/object_store.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::jobs {

struct ArticleFile {
  std::string title;
  std::string meta_description;
  std::string slug;
  std::string keyword;
  std::string writer;
  std::string model;
  // The Markdown after the front matter.
  std::string body_markdown;
};

// The file's text.
std::string render_article_file(const ArticleFile& file);

// The file read back; nullopt when the front matter is missing or malformed. Unknown front
// matter keys are ignored.
std::optional<ArticleFile> parse_article_file(std::string_view text);

// `articles/{agent_id}/{slug}.md`.
std::string article_key(std::string_view agent_id, std::string_view slug);
// Where version `version` of the body at `s3_key` (`articles/{agent_id}/{slug}.md`) is kept once
// a later version replaces it: `articles/{agent_id}/versions/{slug}/v{version}.md`.
std::string article_version_key(std::string_view s3_key, std::int64_t version);
// The prefix of every earlier version of the body at `s3_key`.
std::string article_versions_prefix(std::string_view s3_key);

// The largest stored article file read back (larger ones are not articles this server wrote).
inline constexpr std::size_t kMaxArticleBytes = 4 * 1024 * 1024;

// A job's article (its `s3_key`) with its stored file.
struct StoredArticle {
  storage::Article article;
  ArticleFile file;
};

// Reads the article a job names: the account's, still active, its body readable and well formed.
// The error says which of these failed ("Article not found: …"), for the job's error.
Expected<StoredArticle, std::string> load_job_article(storage::Connection& db,
                                                      storage::ObjectStore& objects,
                                                      const storage::Job& job);

}  // namespace seoagents::jobs
