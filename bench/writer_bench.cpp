// Benchmarks of the builtin writer (the offline template engine): one draft, outline included,
// at 1,500 and 5,000 words, through the Writer interface as the pipelines call it.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "jobs/writers/builtin_writer.hpp"

namespace seoagents {
namespace {

namespace asio = boost::asio;

asio::awaitable<void> outline_and_draft(jobs::Writer& writer, const jobs::ArticleBrief& brief,
                                        std::optional<jobs::WrittenArticle>& out) {
  auto outline = co_await writer.outline(brief);
  if (!outline) co_return;
  auto article = co_await writer.draft(brief, *outline);
  if (article) out = std::move(*article);
}

// Argument: the word target.
void BM_BuiltinDraft(benchmark::State& state) {
  jobs::BuiltinWriter writer;
  jobs::ArticleBrief brief;
  brief.keyword = "trade show booth cost";
  brief.related_keywords = {"custom trade show booth", "booth design"};
  brief.tone = "professional";
  brief.word_target = state.range(0);
  asio::io_context context;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    std::optional<jobs::WrittenArticle> article;
    asio::co_spawn(context, outline_and_draft(writer, brief, article), asio::detached);
    context.run();
    context.restart();
    if (!article) {
      state.SkipWithError("the builtin writer failed");
      break;
    }
    bytes += static_cast<std::int64_t>(article->body_markdown.size());
    benchmark::DoNotOptimize(article->body_markdown.data());
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_BuiltinDraft)->Arg(1500)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace seoagents
