// The words of the load-test dataset: niches with their keywords, agent names, article titles,
// meta descriptions and Markdown bodies, all drawn from a seeded generator so that a dataset is
// the same from one run to the next (ids and API keys aside).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::dataset {

using Random = std::mt19937_64;

// A whole number from `low` to `high`, both included.
std::int64_t uniform(Random& random, std::int64_t low, std::int64_t high);
// True with probability `percent` / 100.
bool chance(Random& random, int percent);
// Roughly normal around `mean` (a sum of uniforms), clamped to [low, high]: many ties.
std::int64_t clustered(Random& random, std::int64_t mean, std::int64_t spread, std::int64_t low,
                       std::int64_t high);

// A topic an agent writes about, with the search phrases it targets.
struct Niche {
  std::string_view name;
  std::vector<std::string_view> keywords;
};

const std::vector<Niche>& niches();

// "Trade Show Marketing Writer", "Northwind Home Coffee Brewing Blog", …
std::string agent_name(Random& random, const Niche& niche);
// 3–10 distinct keywords of the niche.
std::vector<std::string> agent_keywords(Random& random, const Niche& niche);

// One of the tones the API accepts.
std::string_view pick_tone(Random& random);
// 800–3,000 words.
std::int64_t pick_word_target(Random& random);
// Mostly "none"; a few daily, weekly or monthly.
std::string_view pick_schedule(Random& random);

// "Trade Show Booth Cost: What to Budget in 2026", …
std::string article_title(Random& random, std::string_view keyword);
// About 80–140 characters naming the keyword.
std::string meta_description(Random& random, std::string_view keyword);

// A Markdown body of about `words` words (headings, paragraphs, a list, an FAQ) about `keyword`.
std::string article_body(Random& random, std::string_view keyword, std::int64_t words);
// The words of a Markdown text, as the dataset counts them (runs of letters or digits).
std::int64_t count_words(std::string_view text);

// "trade show booth cost" → "Trade Show Booth Cost"; "shopify seo" → "Shopify SEO".
std::string title_case(std::string_view text);

}  // namespace seoagents::dataset
