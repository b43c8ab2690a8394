// Reading a model's answers back: the outline JSON, the article (TITLE/META lines, `---`,
// Markdown) and a rewritten paragraph. Tolerant of what models commonly add (a code fence around
// the answer, bold labels, an H1 repeating the title) and strict about what matters: an answer
// without a title, a meta description or a real body is an error saying what was missing, never
// a broken article.
#pragma once

#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "jobs/writers/writer.hpp"

namespace seoagents::jobs {

Expected<Outline, std::string> parse_outline_answer(std::string_view answer);

Expected<WrittenArticle, std::string> parse_article_answer(std::string_view answer);

Expected<std::string, std::string> parse_paragraph_answer(std::string_view answer);

}  // namespace seoagents::jobs
