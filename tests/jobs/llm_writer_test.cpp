// The LLM writer without a network: its answers parsed (what models commonly wrap around them,
// and what makes an answer unusable), and the writer over a scripted TextModel (failures keep
// their kind, a truncated article is retried, the prompts carry the brief).
#include "jobs/writers/llm_writer.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <deque>

#include "jobs/writers/llm_answers.hpp"
#include "jobs/writers/prompts.hpp"

namespace seoagents::jobs {
namespace {

std::string body_of_words(int words) {
  std::string body = "## First section\n\n";
  for (int i = 0; i < words; ++i)
    body += "word ";
  body += "\n";
  return body;
}

TEST(LlmAnswers, ReadsThePlainFormat) {
  auto article = parse_article_answer(
      "TITLE: Booth Cost Guide\nMETA: All about booth costs.\n---\n" + body_of_words(100));
  ASSERT_TRUE(article) << article.error();
  EXPECT_EQ(article->title, "Booth Cost Guide");
  EXPECT_EQ(article->meta_description, "All about booth costs.");
  EXPECT_TRUE(article->body_markdown.starts_with("## First section"));
}

TEST(LlmAnswers, ToleratesFencesBoldLabelsAndARepeatedTitle) {
  std::string answer =
      "```markdown\n**Title:** \"Booth Cost Guide\"\n**Meta description:** "
      "All about booth costs.\n\n# Booth Cost Guide\n\n" +
      body_of_words(100) + "```\n";
  auto article = parse_article_answer(answer);
  ASSERT_TRUE(article) << article.error();
  EXPECT_EQ(article->title, "Booth Cost Guide");
  EXPECT_EQ(article->meta_description, "All about booth costs.");
  // The H1 repeating the title is dropped: the title is the page's H1.
  EXPECT_TRUE(article->body_markdown.starts_with("## First section"));
  EXPECT_EQ(article->body_markdown.find("```"), std::string::npos);
}

TEST(LlmAnswers, AnH1StandsInForAMissingTitleLine) {
  auto article = parse_article_answer("META: m\n---\n# The H1 Title\n\n" + body_of_words(100));
  ASSERT_TRUE(article) << article.error();
  EXPECT_EQ(article->title, "The H1 Title");
}

TEST(LlmAnswers, RefusesUnusableArticles) {
  auto no_title = parse_article_answer("META: m\n---\n" + body_of_words(100));
  ASSERT_FALSE(no_title);
  EXPECT_EQ(no_title.error(), "the model's answer had no TITLE line");
  auto no_meta = parse_article_answer("TITLE: t\n---\n" + body_of_words(100));
  ASSERT_FALSE(no_meta);
  EXPECT_EQ(no_meta.error(), "the model's answer had no META line");
  auto short_body = parse_article_answer("TITLE: t\nMETA: m\n---\n" + body_of_words(20));
  ASSERT_FALSE(short_body);
  EXPECT_NE(short_body.error().find("no article body"), std::string::npos);
  EXPECT_FALSE(parse_article_answer("I'm sorry, I can't help with that."));
}

TEST(LlmAnswers, ReadsOutlines) {
  auto outline = parse_outline_answer(
      "Here is the plan:\n```json\n{\"title\": \"Booth Cost\", \"sections\": [{\"heading\": "
      "\"## Budget\", \"subheadings\": [\"Floor space\", 3, \"\"], \"summary\": \"s\"}]}\n```");
  ASSERT_TRUE(outline) << outline.error();
  EXPECT_EQ(outline->title, "Booth Cost");
  ASSERT_EQ(outline->sections.size(), 1u);
  EXPECT_EQ(outline->sections[0].heading, "Budget");
  // Non-strings and empty subheadings are skipped.
  EXPECT_EQ(outline->sections[0].subheadings, std::vector<std::string>{"Floor space"});
}

TEST(LlmAnswers, RefusesBadOutlines) {
  EXPECT_FALSE(parse_outline_answer("no json at all"));
  EXPECT_FALSE(parse_outline_answer("{\"title\": \"t\", \"sections\": [}"));
  EXPECT_FALSE(parse_outline_answer("{\"title\": \"\", \"sections\": [{\"heading\": \"h\"}]}"));
  EXPECT_FALSE(parse_outline_answer("{\"title\": \"t\", \"sections\": []}"));
  EXPECT_FALSE(parse_outline_answer("{\"title\": \"t\", \"sections\": [{\"summary\": \"s\"}]}"));
}

TEST(LlmAnswers, ReadsParagraphs) {
  auto paragraph = parse_paragraph_answer("\"A rewritten paragraph with the keyphrase.\"");
  ASSERT_TRUE(paragraph);
  EXPECT_EQ(*paragraph, "A rewritten paragraph with the keyphrase.");
  EXPECT_FALSE(parse_paragraph_answer(""));
  EXPECT_FALSE(parse_paragraph_answer("## A heading\n\nand text after it"));
}

// A TextModel answering from a script, recording what it was asked.
class ScriptedModel final : public TextModel {
 public:
  std::deque<Expected<Completion, ModelFailure>> answers;
  std::vector<CompletionRequest> requests;

  std::string_view provider() const override { return "scripted"; }
  const std::string& model() const override { return model_; }
  asio::awaitable<Expected<Completion, ModelFailure>> complete(CompletionRequest request) override {
    requests.push_back(std::move(request));
    Expected<Completion, ModelFailure> answer = std::move(answers.front());
    answers.pop_front();
    co_return answer;
  }

 private:
  std::string model_ = "scripted-1";
};

Completion completion(std::string text, std::string stop_reason = "end_turn") {
  Completion completion;
  completion.text = std::move(text);
  completion.stop_reason = std::move(stop_reason);
  completion.usage.input_tokens = 100;
  completion.usage.output_tokens = 200;
  return completion;
}

ModelFailure model_failure(ModelFailure::Kind kind, std::string message) {
  ModelFailure failure;
  failure.kind = kind;
  failure.message = std::move(message);
  return failure;
}

ArticleBrief brief() {
  ArticleBrief brief;
  brief.keyword = "trade show booth cost";
  brief.related_keywords = {"custom trade show booth"};
  brief.tone = "friendly";
  brief.word_target = 1200;
  return brief;
}

template <class T>
T run(asio::awaitable<T> task) {
  asio::io_context io;
  auto future = asio::co_spawn(io, std::move(task), asio::use_future);
  io.run();
  return future.get();
}

struct DraftResult {
  std::optional<WrittenArticle> article;
  std::optional<WriterFailure> failure;
};

DraftResult draft(LlmWriter& writer) {
  Outline outline;
  outline.title = "Trade show booth cost";
  outline.sections.push_back({"Budget", {"Floor space"}, "What it costs"});
  auto task = [&writer, &outline]() -> asio::awaitable<DraftResult> {
    auto written = co_await writer.draft(brief(), outline);
    DraftResult result;
    if (written) {
      result.article = *written;
    } else {
      result.failure = written.error();
    }
    co_return result;
  };
  return run(task());
}

TEST(LlmWriter, DraftsFromTheModelsAnswer) {
  auto model = std::make_shared<ScriptedModel>();
  model->answers.push_back(
      completion("TITLE: Trade show booth cost\nMETA: m\n---\n" + body_of_words(100)));
  LlmWriter writer(model);
  DraftResult result = draft(writer);
  ASSERT_TRUE(result.article);
  EXPECT_EQ(result.article->title, "Trade show booth cost");
  EXPECT_EQ(result.article->usage.output_tokens, 200);
  ASSERT_EQ(model->requests.size(), 1u);
  const std::string& prompt = model->requests[0].user;
  EXPECT_NE(prompt.find("\"trade show booth cost\""), std::string::npos);
  EXPECT_NE(prompt.find("1200 words"), std::string::npos);
  EXPECT_NE(prompt.find("friendly"), std::string::npos);
  EXPECT_NE(prompt.find("custom trade show booth"), std::string::npos);
  EXPECT_NE(prompt.find("## Budget"), std::string::npos);
  EXPECT_EQ(model->requests[0].max_tokens, article_token_budget(1200));
}

TEST(LlmWriter, FailuresKeepTheirKind) {
  auto model = std::make_shared<ScriptedModel>();
  model->answers.push_back(unexpected(
      model_failure(ModelFailure::Kind::permanent, "anthropic: 401 authentication_error")));
  model->answers.push_back(
      unexpected(model_failure(ModelFailure::Kind::retryable, "anthropic: 529 overloaded")));
  LlmWriter writer(model);
  DraftResult refused = draft(writer);
  ASSERT_TRUE(refused.failure);
  EXPECT_FALSE(refused.failure->retryable);
  EXPECT_EQ(refused.failure->message, "anthropic: 401 authentication_error");
  DraftResult overloaded = draft(writer);
  ASSERT_TRUE(overloaded.failure);
  EXPECT_TRUE(overloaded.failure->retryable);
}

TEST(LlmWriter, TruncatedOrUnreadableAnswersAreRetryableFailures) {
  auto model = std::make_shared<ScriptedModel>();
  model->answers.push_back(
      completion("TITLE: t\nMETA: m\n---\n" + body_of_words(100), "max_tokens"));
  model->answers.push_back(completion("Sorry, I cannot write that."));
  LlmWriter writer(model);
  DraftResult truncated = draft(writer);
  ASSERT_TRUE(truncated.failure);
  EXPECT_TRUE(truncated.failure->retryable);
  EXPECT_NE(truncated.failure->message.find("token limit"), std::string::npos);
  DraftResult unreadable = draft(writer);
  ASSERT_TRUE(unreadable.failure);
  EXPECT_TRUE(unreadable.failure->retryable);
  EXPECT_EQ(unreadable.failure->message, "the model's answer had no TITLE line");
}

}  // namespace
}  // namespace seoagents::jobs
