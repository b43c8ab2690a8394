// Microbenchmarks of the article list: a keyset page of the account's articles sorted by score
// (the reference's `sort=score:desc`), by creation time with a minimum score, and one agent's
// page, in a table of up to 100,000 articles — a page costs the same at the start and deep in
// the list. GET /articles runs one of these per request.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "bench/bench_database.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"

namespace seoagents {
namespace {

struct ArticleTable {
  std::string account_id;
  std::string agent_id;
};

// `rows` articles of one account spread over 10 agents; scores 40–99, word counts 800–2,300.
ArticleTable fill_articles(BenchDatabase& database, std::int64_t rows) {
  return database.write<ArticleTable>([rows](storage::Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::agency);
    std::vector<std::string> agents;
    for (int i = 0; i < 10; ++i) {
      storage::Agent agent;
      agent.account_id = account.id;
      agent.name = "agent " + std::to_string(i);
      agent.keywords = {"booth"};
      agents.push_back(storage::insert_agent(db, agent).id);
    }
    char slug[32];
    for (std::int64_t i = 0; i < rows; ++i) {
      std::snprintf(slug, sizeof slug, "article-%08llx", static_cast<unsigned long long>(i));
      storage::Article article;
      article.account_id = account.id;
      article.agent_id = agents[i % agents.size()];
      article.s3_key = "articles/" + article.agent_id + "/" + slug + ".md";
      article.title = slug;
      article.keyword = "booth";
      article.slug = slug;
      article.seo_score = 40 + (i * 7919) % 60;
      article.word_count = 800 + (i * 104729) % 1500;
      article.readability_score = 70;
      storage::insert_article(db, std::move(article), 1'790'000'000'000 + i);
    }
    return ArticleTable{account.id, agents[0]};
  });
}

// Arguments: rows; where the page starts (0: first page; 1: after the middle row); the query
// (0: sort=score:desc; 1: created_at:desc with min_score=80; 2: one agent, score:desc).
void BM_ArticleKeysetPage(benchmark::State& state) {
  BenchDatabase database;
  std::int64_t rows = state.range(0);
  ArticleTable table = fill_articles(database, rows);
  storage::Connection& reader = database.store().reader();
  storage::ArticleFilter filter;
  std::string_view column = "seo_score";
  if (state.range(2) == 1) {
    filter.min_score = 80;
    column = "created_at";
  } else if (state.range(2) == 2) {
    filter.agent_id = table.agent_id;
  }
  std::optional<storage::PagePosition> after;
  if (state.range(1) == 1) {
    auto first = storage::list_articles(reader, table.account_id, filter, column, true,
                                        std::nullopt, static_cast<std::size_t>(rows / 20));
    const storage::Article& middle = first.back();
    std::int64_t value = column == "seo_score" ? middle.seo_score : middle.created_at;
    after = storage::PagePosition{value, middle.s3_key};
  }
  for (auto _ : state) {
    auto page = storage::list_articles(reader, table.account_id, filter, column, true, after, 26);
    if (page.size() != 26) state.SkipWithError("short page");
    benchmark::DoNotOptimize(page);
  }
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_ArticleKeysetPage)
    ->Args({10'000, 0, 0})
    ->Args({10'000, 1, 0})
    ->Args({10'000, 0, 1})
    ->Args({10'000, 0, 2})
    ->Args({100'000, 0, 0})
    ->Args({100'000, 1, 0})
    ->Args({100'000, 1, 1})
    ->Args({100'000, 1, 2})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace seoagents
