// Microbenchmarks of the JSON the API renders on its hot paths: a job (completed, with its
// result), a site, an article row, a whole article list page of 25 with its cursor, and the
// cursor itself (encode, decode, refuse a tampered one). Together with BM_AgentJson
// (resources_bench.cpp) these are every resource a GET returns.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/json_writer.hpp"
#include "http/handlers/representations.hpp"
#include "http/pagination.hpp"

namespace seoagents {
namespace {

constexpr std::int64_t kSomeTime = 1'790'000'000'123;

storage::Job completed_job() {
  storage::Job job;
  job.id = "content-a1b2c3d4";
  job.account_id = "acct-00000001";
  job.agent_id = "agent-1a2b3c4d";
  job.job_type = "create";
  job.status = "completed";
  job.keyword = "trade show booth cost";
  job.attempts = 1;
  job.result =
      R"({"s3_key":"articles/agent-1a2b3c4d/trade-show-booth-cost.md","title":"Trade Show Booth Cost: The Complete 2026 Guide","word_count":2480,"seo_score":87,"readability_score":72,"keyword":"trade show booth cost","usage":{"input_tokens":1830,"output_tokens":4120}})";
  job.created_at = kSomeTime;
  job.updated_at = kSomeTime + 41'000;
  job.started_at = kSomeTime + 12;
  job.finished_at = kSomeTime + 41'000;
  return job;
}

storage::Article article(int i) {
  storage::Article article;
  article.s3_key = "articles/agent-1a2b3c4d/trade-show-booth-cost-" + std::to_string(i) + ".md";
  article.account_id = "acct-00000001";
  article.agent_id = "agent-1a2b3c4d";
  article.title = "Trade Show Booth Cost: The Complete 2026 Guide, part " + std::to_string(i);
  article.meta_description =
      "What a trade show booth costs in 2026: space, design, shipping and staff, with a budget "
      "template.";
  article.keyword = "trade show booth cost";
  article.slug = "trade-show-booth-cost-" + std::to_string(i);
  article.word_count = 2480;
  article.seo_score = 87;
  article.readability_score = 72;
  article.created_at = kSomeTime + i;
  article.updated_at = kSomeTime + i;
  article.expires_at = kSomeTime + 30LL * 86'400'000;
  return article;
}

void BM_JobJson(benchmark::State& state) {
  storage::Job job = completed_job();
  for (auto _ : state) {
    benchmark::DoNotOptimize(http::handlers::job_json(job));
  }
}
BENCHMARK(BM_JobJson);

void BM_SiteJson(benchmark::State& state) {
  storage::Site site;
  site.id = "site-5e6f7a8b";
  site.account_id = "acct-00000001";
  site.name = "Trade Show Blog";
  site.url = "https://blog.tradeshowexample.com";
  site.username = "editor";
  site.password_sealed = std::string(60, 'x');
  site.verification_status = "verified";
  site.last_verified_at = kSomeTime;
  site.created_at = kSomeTime;
  site.updated_at = kSomeTime;
  for (auto _ : state) {
    benchmark::DoNotOptimize(http::handlers::site_json(site));
  }
}
BENCHMARK(BM_SiteJson);

void BM_ArticleJson(benchmark::State& state) {
  storage::Article row = article(1);
  for (auto _ : state) {
    std::string body;
    JsonWriter json(body);
    http::handlers::write_article(json, row);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_ArticleJson);

http::PageRequest score_page() {
  http::PageRequest page;
  page.sort_field = "seo_score";
  page.scope = "articles/acct-00000001";
  return page;
}

// GET /articles?limit=25&sort=score:desc after the read: 26 rows → 25 shown and the cursor.
void BM_ArticleListPageJson(benchmark::State& state) {
  http::CursorCodec codec(std::string(32, 'k'));
  http::PageRequest page = score_page();
  std::vector<storage::Article> read;
  for (int i = 0; i < 26; ++i)
    read.push_back(article(i));
  auto position_of = [](const storage::Article& row) {
    return http::cursor_position(row.seo_score, row.s3_key);
  };
  for (auto _ : state) {
    std::vector<storage::Article> rows = read;
    benchmark::DoNotOptimize(
        http::render_list_page(rows, page, codec, position_of, http::handlers::write_article));
  }
}
BENCHMARK(BM_ArticleListPageJson);

void BM_CursorEncode(benchmark::State& state) {
  http::CursorCodec codec(std::string(32, 'k'));
  http::PageRequest page = score_page();
  auto at = http::cursor_position(87, "articles/agent-1a2b3c4d/trade-show-booth-cost.md");
  for (auto _ : state) {
    benchmark::DoNotOptimize(codec.encode(page.scope, page.sort_key(), at));
  }
}
BENCHMARK(BM_CursorEncode);

// Decodes a valid cursor (state.range(0) == 0) or refuses one with a changed character (1).
void BM_CursorDecode(benchmark::State& state) {
  http::CursorCodec codec(std::string(32, 'k'));
  http::PageRequest page = score_page();
  auto at = http::cursor_position(87, "articles/agent-1a2b3c4d/trade-show-booth-cost.md");
  std::string cursor = codec.encode(page.scope, page.sort_key(), at);
  bool tampered = state.range(0) == 1;
  if (tampered) cursor[cursor.size() / 2] = cursor[cursor.size() / 2] == 'A' ? 'B' : 'A';
  for (auto _ : state) {
    auto decoded = codec.decode(cursor, page.scope, page.sort_key());
    if (decoded.has_value() == tampered) state.SkipWithError("unexpected decode result");
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_CursorDecode)->Arg(0)->Arg(1);

}  // namespace
}  // namespace seoagents
