// The dataset's vocabulary and the text made from it (see corpus.hpp).
#include "tools/dataset/corpus.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace seoagents::dataset {
namespace {

template <class T, std::size_t N>
const T& pick(Random& random, const std::array<T, N>& items) {
  return items[static_cast<std::size_t>(uniform(random, 0, static_cast<std::int64_t>(N) - 1))];
}

constexpr std::array<std::string_view, 12> kBrands = {
    "Northwind", "Bluebird", "Summit",   "Harbor", "Evergreen", "Keystone",
    "Lumen",     "Atlas",    "Brightly", "Cedar",  "Meridian",  "Pioneer"};

constexpr std::array<std::string_view, 6> kAgentRoles = {"Writer", "Blog",      "Content Desk",
                                                         "Guides", "SEO Agent", "Editorial"};

constexpr std::array<std::string_view, 7> kTones = {"professional",  "casual",    "friendly",
                                                    "authoritative", "technical", "persuasive",
                                                    "informative"};

constexpr std::array<std::int64_t, 8> kWordTargets = {800,  1000, 1200, 1500,
                                                      1500, 2000, 2500, 3000};

// {prefix, suffix} around the title-cased keyword.
constexpr std::array<std::array<std::string_view, 2>, 14> kTitlePatterns = {{
    {"", ": The Complete Guide for 2026"},
    {"How to Choose the Right ", ""},
    {"", ": What to Budget and Where to Save"},
    {"10 ", " Mistakes to Avoid"},
    {"The Beginner's Guide to ", ""},
    {"", " Explained in Plain English"},
    {"7 Ways to Get More From Your ", ""},
    {"", ": Pros, Cons and Alternatives"},
    {"Is ", " Worth It? An Honest Look"},
    {"", " Checklist: Everything You Need"},
    {"What Nobody Tells You About ", ""},
    {"", ": A Step-by-Step Plan"},
    {"The Real Cost of ", ""},
    {"", " Trends to Watch This Year"},
}};

constexpr std::array<std::array<std::string_view, 2>, 8> kMetaPatterns = {{
    {"Learn what matters most about ",
     ": costs, common mistakes and a practical plan you can follow this week."},
    {"Our guide to ", " covers the basics, the trade-offs and the questions to ask first."},
    {"Everything you need to know about ",
     ", with examples, a checklist and tips from people who do it every day."},
    {"Thinking about ", "? Compare the options, see real prices and avoid the usual pitfalls."},
    {"A clear, honest look at ", ": what works, what does not, and how to get started."},
    {"Get more from ", " with this step-by-step guide, from first steps to advanced tips."},
    {"Planning for ", "? Here is what to budget, what to skip and what experts recommend."},
    {"The essentials of ", " in one place: definitions, costs, tools and a simple checklist."},
}};

constexpr std::array<std::string_view, 16> kSentences = {
    "Most people start with {k} because they want a result they can measure.",
    "The first thing to decide is how much time and money you can commit.",
    "A small test run tells you more than weeks of planning on paper.",
    "When it comes to {k}, the details you skip early cost the most later.",
    "Experienced buyers compare at least three options before they commit.",
    "Write down what success looks like before you spend anything.",
    "Prices vary widely, so ask for an itemised quote and read it twice.",
    "The best results come from a simple plan that you review every month.",
    "Keep a short list of questions and bring it to every conversation.",
    "Many guides about {k} ignore maintenance, which is where budgets slip.",
    "Start with the essentials and add extras only when they earn their place.",
    "Ask people who did it last year what they would change this time.",
    "Good documentation saves hours when something needs to be fixed.",
    "A realistic timeline leaves room for delays you cannot control.",
    "Track the numbers that matter and ignore the ones that only look good.",
    "Review the plan with someone who will tell you where it is weak.",
};

constexpr std::array<std::string_view, 10> kHeadings = {
    "Why {K} Matters",           "How {K} Works",          "What {K} Costs",
    "Choosing the Right Option", "Common Mistakes",        "A Step-by-Step Plan",
    "Tools and Resources",       "How to Measure Results", "Real-World Examples",
    "Getting Started Today",
};

std::string with_keyword(std::string_view pattern, std::string_view keyword) {
  std::string text;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      text += pattern[i + 1] == 'K' ? title_case(keyword) : std::string(keyword);
      i += 2;
    } else {
      text.push_back(pattern[i]);
    }
  }
  return text;
}

// A paragraph of 3–6 sentences, the first naming the keyword when `lead` is set.
std::string paragraph(Random& random, std::string_view keyword, bool lead) {
  std::string text;
  int sentences = static_cast<int>(uniform(random, 3, 6));
  for (int i = 0; i < sentences; ++i) {
    if (!text.empty()) text.push_back(' ');
    if (lead && i == 0) {
      text += "If you are looking into " + std::string(keyword) + ", this guide walks through " +
              "what to expect and how to make a good decision.";
      continue;
    }
    text += with_keyword(pick(random, kSentences), keyword);
  }
  return text;
}

}  // namespace

std::int64_t uniform(Random& random, std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(random);
}

bool chance(Random& random, int percent) {
  return uniform(random, 0, 99) < percent;
}

std::int64_t clustered(Random& random, std::int64_t mean, std::int64_t spread, std::int64_t low,
                       std::int64_t high) {
  std::int64_t sum = 0;
  for (int i = 0; i < 3; ++i)
    sum += uniform(random, -spread, spread);
  return std::clamp(mean + sum / 2, low, high);
}

const std::vector<Niche>& niches() {
  static const std::vector<Niche> all = {
      {"Trade Show Marketing",
       {"trade show booth cost", "trade show displays", "booth design ideas", "exhibit marketing",
        "trade show giveaways", "pop up banner stands", "event lead capture", "trade show shipping",
        "booth staff training", "exhibition planning checklist"}},
      {"Home Coffee Brewing",
       {"pour over coffee", "best burr grinder", "french press ratio", "espresso at home",
        "cold brew recipe", "coffee bean storage", "aeropress tips", "water for coffee",
        "milk frothing", "decaf coffee beans"}},
      {"Small Business Accounting",
       {"bookkeeping for small business", "quarterly tax estimates", "invoice templates",
        "cash flow forecast", "expense tracking app", "payroll basics", "sales tax filing",
        "chart of accounts", "accounts receivable", "year end closing"}},
      {"Remote Work",
       {"home office setup", "remote team meetings", "standing desk benefits",
        "async communication", "remote onboarding", "noise cancelling headphones",
        "work from home productivity", "virtual team building", "time zone scheduling",
        "remote work policy"}},
      {"Urban Gardening",
       {"balcony vegetable garden", "container tomatoes", "indoor herb garden", "compost bin",
        "raised bed soil", "vertical garden ideas", "grow lights for plants", "seed starting",
        "companion planting", "organic pest control"}},
      {"Personal Finance",
       {"emergency fund", "index fund investing", "high yield savings", "credit score tips",
        "budgeting method", "debt snowball", "retirement savings", "side income ideas",
        "financial planner cost", "net worth tracking"}},
      {"Home Renovation",
       {"kitchen remodel cost", "bathroom renovation", "hardwood floor refinishing",
        "interior paint colors", "home insulation", "window replacement", "deck building",
        "basement waterproofing", "contractor contract", "renovation permits"}},
      {"Pet Care",
       {"puppy training schedule", "grain free dog food", "cat litter box", "pet insurance cost",
        "dog grooming at home", "senior dog care", "cat scratching post", "dog walking routine",
        "pet dental care", "adopting a rescue dog"}},
      {"Cycling",
       {"road bike sizing", "gravel bike tires", "bike maintenance checklist", "cycling nutrition",
        "indoor trainer workouts", "bike commuting tips", "clipless pedals", "bike fit",
        "cycling power meter", "winter cycling gear"}},
      {"Cloud Infrastructure",
       {"kubernetes cost optimization", "serverless architecture", "cloud backup strategy",
        "infrastructure as code", "multi region deployment", "container security",
        "cloud migration plan", "observability tools", "database replication",
        "zero downtime deploys"}},
      {"Travel Planning",
       {"carry on packing list", "travel insurance", "cheap flight tips", "travel credit card",
        "jet lag remedies", "solo travel safety", "train travel europe",
        "travel itinerary template", "airport lounge access", "road trip planning"}},
      {"Fitness at Home",
       {"home gym equipment", "kettlebell workout", "resistance band exercises",
        "beginner strength training", "hiit workout", "mobility routine", "adjustable dumbbells",
        "workout recovery", "pull up progression", "fitness tracker"}},
      {"E-commerce Growth",
       {"product page optimization", "abandoned cart emails", "shopify seo", "product photography",
        "conversion rate optimization", "customer reviews", "free shipping threshold",
        "subscription box business", "dropshipping suppliers", "ecommerce analytics"}},
      {"Wedding Planning",
       {"wedding budget breakdown", "wedding venue questions", "wedding photographer cost",
        "destination wedding", "wedding guest list", "save the date ideas", "wedding timeline",
        "bridal shower planning", "wedding catering", "wedding dress shopping"}},
      {"Solar Energy",
       {"home solar panels cost", "solar battery storage", "net metering", "solar inverter types",
        "solar tax credit", "roof for solar", "solar panel cleaning", "off grid solar",
        "solar installer checklist", "solar payback period"}},
      {"Language Learning",
       {"learn spanish fast", "language exchange", "spaced repetition", "best language apps",
        "grammar practice", "listening comprehension", "immersion at home", "vocabulary building",
        "language tutor cost", "learning kanji"}},
  };
  return all;
}

std::string agent_name(Random& random, const Niche& niche) {
  std::string name;
  if (chance(random, 60)) name.append(pick(random, kBrands)).append(" ");
  name.append(niche.name).append(" ").append(pick(random, kAgentRoles));
  return name;
}

std::vector<std::string> agent_keywords(Random& random, const Niche& niche) {
  std::vector<std::string> pool(niche.keywords.begin(), niche.keywords.end());
  std::shuffle(pool.begin(), pool.end(), random);
  std::size_t wanted = static_cast<std::size_t>(
      uniform(random, 3, std::min<std::int64_t>(10, static_cast<std::int64_t>(pool.size()))));
  pool.resize(wanted);
  return pool;
}

std::string_view pick_tone(Random& random) {
  return pick(random, kTones);
}

std::int64_t pick_word_target(Random& random) {
  return pick(random, kWordTargets);
}

std::string_view pick_schedule(Random& random) {
  std::int64_t roll = uniform(random, 0, 99);
  if (roll < 90) return "none";
  if (roll < 95) return "weekly";
  if (roll < 98) return "daily";
  return "monthly";
}

std::string article_title(Random& random, std::string_view keyword) {
  const auto& pattern = pick(random, kTitlePatterns);
  std::string title(pattern[0]);
  title.append(title_case(keyword)).append(pattern[1]);
  return title;
}

std::string meta_description(Random& random, std::string_view keyword) {
  const auto& pattern = pick(random, kMetaPatterns);
  std::string text(pattern[0]);
  text.append(keyword).append(pattern[1]);
  return text;
}

std::string article_body(Random& random, std::string_view keyword, std::int64_t words) {
  std::string body;
  std::int64_t written = 0;
  // Appends a piece (whole words, ending in a line break) and counts its words.
  auto add = [&body, &written](const std::string& piece) {
    body += piece;
    written += count_words(piece);
  };
  add(paragraph(random, keyword, true) + "\n\n");
  // `add` raises `written`: a while loop, as clang's -Wfor-loop-analysis cannot see that.
  std::size_t heading = 0;
  while (written < words) {
    ++heading;
    add("## " + with_keyword(kHeadings[(heading - 1) % kHeadings.size()], keyword) + "\n\n");
    add(paragraph(random, keyword, false) + "\n\n");
    add(paragraph(random, keyword, false) + "\n\n");
    if (heading % 3 != 0) continue;
    for (int item = 0; item < 3; ++item)
      add("- " + with_keyword(pick(random, kSentences), keyword) + "\n");
    add("\n");
  }
  add("## Frequently Asked Questions\n\n### Is " + std::string(keyword) +
      " worth it?\n\nFor most readers, yes: " + paragraph(random, keyword, false) + "\n");
  return body;
}

std::int64_t count_words(std::string_view text) {
  std::int64_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool word_char = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\'';
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words;
}

std::string title_case(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(' ', start), text.size());
    std::string word(text.substr(start, end - start));
    bool acronym = word == "seo" || word == "hiit";
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (acronym || i == 0)
        word[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])));
    }
    out.append(word);
    if (end < text.size()) out.push_back(' ');
    start = end + 1;
  }
  return out;
}

}  // namespace seoagents::dataset
