// Microbenchmarks of the content analysis: analyze() over a realistic 2,000-word Markdown article
// (headings, paragraphs, lists, links, an image, a code block), and rendering it to HTML.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "seo/analysis.hpp"
#include "seo/markdown.hpp"

namespace seoagents::seo {
namespace {

constexpr std::array<std::string_view, 12> kSubjects{
    "Most runners",        "A good running shoe", "Your stride",      "Trail shoes",
    "The midsole foam",    "Beginners",           "A wider toe box",  "Road shoes",
    "Experienced coaches", "Lightweight racers",  "Your local store", "Heavier runners"};
constexpr std::array<std::string_view, 12> kVerbs{"need",   "protect", "support", "absorb",
                                                  "change", "improve", "reward",  "shape",
                                                  "reduce", "balance", "favour",  "handle"};
constexpr std::array<std::string_view, 12> kObjects{
    "the impact of every landing",      "a stable and forgiving heel",
    "the natural motion of the foot",   "extra cushioning on long runs",
    "grip on wet and rocky ground",     "the fatigue that builds late in a race",
    "a snug fit around the midfoot",    "the drop between heel and toe",
    "breathable mesh in hot weather",   "the weight you carry on each stride",
    "a firm platform for fast efforts", "the wear on the outsole rubber"};
constexpr std::array<std::string_view, 8> kTails{"during the first weeks",
                                                 "on long weekend runs",
                                                 "after a hard workout",
                                                 "in the rain",
                                                 "on the track",
                                                 "as the miles add up",
                                                 "when the trail gets steep",
                                                 "over a full season"};
constexpr std::array<std::string_view, 8> kTransitions{
    "However, ", "For example, ", "In addition, ", "As a result, ", "", "", "", ""};
constexpr std::array<std::string_view, 6> kHeadings{
    "How running shoes work", "Choosing the right fit", "Cushioning and support",
    "Trail or road",          "Caring for your shoes",  "When to replace running shoes"};

// A small deterministic generator, so every run benchmarks the same article.
class Picker {
 public:
  template <class Array>
  std::string_view pick(const Array& options) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return options[static_cast<std::size_t>((state_ >> 33) % options.size())];
  }

 private:
  std::uint64_t state_ = 42;
};

int words_in(std::string_view text) {
  int words = text.empty() ? 0 : 1;
  for (char c : text)
    words += c == ' ' ? 1 : 0;
  return words;
}

std::string sentence(Picker& picker) {
  std::string text(picker.pick(kTransitions));
  text += picker.pick(kSubjects);
  text += ' ';
  text += picker.pick(kVerbs);
  text += ' ';
  text += picker.pick(kObjects);
  text += ' ';
  text += picker.pick(kTails);
  return text + ".";
}

std::string generate_article(int target_words) {
  Picker picker;
  std::string article =
      "Running shoes decide how every run feels. This guide explains what matters.\n\n";
  int words = 11;
  for (int section = 0; words < target_words; ++section) {
    const std::string_view heading =
        kHeadings[static_cast<std::size_t>(section) % kHeadings.size()];
    article += "## " + std::string(heading) + "\n\n";
    words += words_in(heading);
    if (section == 0) article += "![A pair of running shoes on a trail](/img/shoes.jpg)\n\n";
    for (int paragraph = 0; paragraph < 3 && words < target_words; ++paragraph) {
      for (int i = 0; i < 5; ++i) {
        const std::string s = sentence(picker);
        article += s + " ";
        words += words_in(s);
      }
      article += paragraph == 1 ? "See [our fitting guide](/guides/fit) or the "
                                  "[study](https://example.org/study).\n\n"
                                : "\n\n";
      words += paragraph == 1 ? 7 : 0;
    }
    if (section % 2 == 1) {
      for (int i = 0; i < 4; ++i) {
        const std::string s = sentence(picker);
        article += "- " + s + "\n";
        words += words_in(s);
      }
      article += "\n";
    }
  }
  article += "```\nshoe_size = foot_length_cm + 1.5\n```\n";
  return article;
}

const AnalysisInput& article_input() {
  static const AnalysisInput input = [] {
    AnalysisInput in;
    in.keyword = "running shoes";
    in.title = "Running Shoes: How to Choose the Right Pair in 2026";
    in.meta_description =
        "Running shoes decide how every run feels. Learn how fit, cushioning and support work, "
        "and when to replace your pair.";
    in.slug = "running-shoes-guide";
    in.content = generate_article(2000);
    in.site_host = "example.com";
    return in;
  }();
  return input;
}

void BM_Analyze2000Words(benchmark::State& state) {
  const AnalysisInput& input = article_input();
  std::int64_t words = 0;
  for (auto _ : state) {
    AnalysisReport report = analyze(input);
    words = report.metrics.word_count;
    benchmark::DoNotOptimize(report);
  }
  state.counters["words"] = static_cast<double>(words);
}
BENCHMARK(BM_Analyze2000Words)->Unit(benchmark::kMicrosecond);

void BM_RenderMarkdown(benchmark::State& state) {
  const AnalysisInput& input = article_input();
  for (auto _ : state)
    benchmark::DoNotOptimize(render_markdown_html(input.content));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(input.content.size()));
}
BENCHMARK(BM_RenderMarkdown)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace seoagents::seo
