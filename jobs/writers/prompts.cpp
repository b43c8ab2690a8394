// The prompts of the LLM writer. They use the agent's tone, word target and keywords, and ask for
// answers the code can parse without guessing (see llm_answers).
#include "jobs/writers/prompts.hpp"

#include <algorithm>
#include <string>

namespace seoagents::jobs {
namespace {

// How each known tone should read; other tones are passed to the model as they are.
std::string tone_guidance(std::string_view tone) {
  if (tone == "professional") return "professional: clear, precise and confident, no slang";
  if (tone == "casual") return "casual: relaxed and plain-spoken, short sentences, contractions";
  if (tone == "friendly") return "friendly: warm and encouraging, speaking to the reader as 'you'";
  if (tone == "authoritative")
    return "authoritative: expert and decisive, backed by concrete facts and numbers";
  if (tone == "conversational")
    return "conversational: like talking to a smart friend, with questions to the reader";
  if (tone == "technical") return "technical: exact terminology, specifics and how things work";
  return std::string(tone) + " (keep it readable and professional)";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += '"' + item + '"';
  }
  return out;
}

// The rules every article answer follows, shared by the draft and the enhance prompts.
std::string article_rules(const ArticleBrief& brief) {
  std::string rules =
      "Rules for the article:\n"
      "- The focus keyphrase is \"" +
      brief.keyword +
      "\". Start the SEO title with it. Use it in the first sentence of the introduction, in "
      "about half of the H2/H3 subheadings, and naturally in the text (0.5–3% of the words). "
      "Use the exact phrase.\n"
      "- The title is at most 60 characters. The meta description is 121–156 characters, "
      "contains the keyphrase and invites the click.\n"
      "- Markdown only: ## for sections, ### for subsections, no # heading (the title is the "
      "page's H1), no HTML, no images, no front matter.\n"
      "- An introduction first, then the sections, then a \"## Frequently Asked Questions\" "
      "section with 3–5 questions as ### headings, then a \"## Conclusion\".\n"
      "- At most 300 words between two subheadings and 150 words per paragraph. Keep most "
      "sentences under 20 words. Use transition words (however, for example, therefore, in "
      "addition, as a result) in at least a third of the sentences. Prefer the active voice. "
      "Do not start three sentences in a row with the same word.\n"
      "- Include one link to an authoritative external source that really exists; never invent "
      "a URL.\n"
      "- Tone: " +
      tone_guidance(brief.tone) + ".\n";
  if (!brief.related_keywords.empty()) {
    rules +=
        "- Related topics you may cover where they fit: " + joined(brief.related_keywords) + ".\n";
  }
  return rules;
}

constexpr std::string_view kAnswerFormat =
    "Answer in exactly this format and nothing else:\n"
    "TITLE: <the SEO title>\n"
    "META: <the meta description>\n"
    "---\n"
    "<the article in Markdown, from the introduction on>\n";

constexpr std::string_view kWriterSystem =
    "You are an expert SEO content writer. You write accurate, original, genuinely useful "
    "articles in fluent English that follow the SEO rules you are given exactly. You never "
    "invent statistics, quotes or URLs.";

std::string outline_text(const Outline& outline) {
  std::string text = "Title: " + outline.title + "\n";
  for (const OutlineSection& section : outline.sections) {
    text += "## " + section.heading + "\n";
    if (!section.summary.empty()) text += "   (" + section.summary + ")\n";
    for (const std::string& sub : section.subheadings)
      text += "### " + sub + "\n";
  }
  return text;
}

}  // namespace

std::int64_t article_token_budget(std::int64_t word_target) {
  return std::clamp<std::int64_t>(word_target * 14 / 10 + 1024, 2048, 32000);
}

CompletionRequest outline_prompt(const ArticleBrief& brief) {
  CompletionRequest request;
  request.system = std::string(kWriterSystem);
  request.user = "Plan an SEO article of about " + std::to_string(brief.word_target) +
                 " words on the focus keyphrase \"" + brief.keyword + "\".\n" +
                 article_rules(brief) +
                 "\nAnswer with one JSON object and nothing else, in this shape:\n"
                 "{\"title\": \"<SEO title starting with the keyphrase, at most 60 characters>\", "
                 "\"sections\": [{\"heading\": \"<H2>\", \"subheadings\": [\"<H3>\", …], "
                 "\"summary\": \"<what the section covers, one sentence>\"}, …]}\n"
                 "Plan one section per 250–300 words of the article, not counting the FAQ and the "
                 "conclusion, which you leave out of the plan.";
  request.max_tokens = 2048;
  return request;
}

CompletionRequest draft_prompt(const ArticleBrief& brief, const Outline& outline) {
  CompletionRequest request;
  request.system = std::string(kWriterSystem);
  request.user = "Write the SEO article planned below, about " + std::to_string(brief.word_target) +
                 " words long (within 10%).\n\n" + outline_text(outline) + "\n" +
                 article_rules(brief) + "\n" + std::string(kAnswerFormat);
  request.max_tokens = article_token_budget(brief.word_target);
  return request;
}

CompletionRequest enhance_prompt(const ArticleBrief& brief, const WrittenArticle& current,
                                 const EnhanceGuidance& guidance) {
  std::string tasks = "- Bring it to about " + std::to_string(guidance.word_target) +
                      " words by deepening the existing sections with concrete detail.\n";
  if (!guidance.missing_subtopics.empty()) {
    tasks +=
        "- Add a section for each missing subtopic: " + joined(guidance.missing_subtopics) + ".\n";
  }
  if (guidance.add_faq) tasks += "- Add the \"## Frequently Asked Questions\" section.\n";
  for (const std::string& problem : guidance.readability_problems)
    tasks += "- Fix this readability problem: " + problem + "\n";
  CompletionRequest request;
  request.system = std::string(kWriterSystem);
  request.user =
      "Improve the SEO article below. Keep its headings, its facts and what already "
      "reads well.\n" +
      tasks + "\n" + article_rules(brief) + "\nThe current article:\nTITLE: " + current.title +
      "\nMETA: " + current.meta_description + "\n---\n" + current.body_markdown + "\n\n" +
      std::string(kAnswerFormat);
  request.max_tokens = article_token_budget(guidance.word_target);
  return request;
}

CompletionRequest rewrite_prompt(const ArticleBrief& brief, std::string_view paragraph,
                                 std::string_view instruction) {
  CompletionRequest request;
  request.system = std::string(kWriterSystem);
  request.user = "Rewrite this paragraph of an article about \"" + brief.keyword +
                 "\". Instruction: " + std::string(instruction) +
                 "\nKeep its meaning, its length (within 20%) and its Markdown links. Tone: " +
                 tone_guidance(brief.tone) +
                 ".\nAnswer with the rewritten paragraph only, no quotes, no comments.\n\n" +
                 std::string(paragraph);
  request.max_tokens = 1024;
  return request;
}

}  // namespace seoagents::jobs
