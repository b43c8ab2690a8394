// The builtin writer's article model (headings, paragraphs of sentences, verbatim blocks), its
// Markdown form, and the readability fixes the writer applies to drafts and given articles.
#include "jobs/writers/builtin_document.hpp"

#include <algorithm>
#include <cmath>

namespace seoagents::jobs::builtin {
namespace {

// Openers lengthen a sentence by two words: only sentences this short get one.
constexpr std::int64_t kMaxWordsBeforeOpener = 16;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view line) {
  return trim(line).empty();
}

bool is_fence(std::string_view line) {
  std::string_view t = trim(line);
  return t.rfind("```", 0) == 0 || t.rfind("~~~", 0) == 0;
}

// The heading level of an ATX heading line, 0 for other lines.
int heading_level(std::string_view line) {
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#')
    ++hashes;
  if (hashes == 0 || hashes > 6) return 0;
  if (hashes < line.size() && line[hashes] != ' ') return 0;
  return static_cast<int>(hashes);
}

std::string heading_text(std::string_view line) {
  std::string_view text = trim(line.substr(line.find_first_not_of('#')));
  while (!text.empty() && text.back() == '#')
    text.remove_suffix(1);
  return std::string(trim(text));
}

bool starts_verbatim(std::string_view line) {
  if (line.rfind("    ", 0) == 0 || line.rfind("\t", 0) == 0) return true;
  std::string_view t = trim(line);
  if (t.empty()) return false;
  if (t.rfind("- ", 0) == 0 || t.rfind("* ", 0) == 0 || t.rfind("+ ", 0) == 0) return true;
  if (t.front() == '>' || t.front() == '|' || t.front() == '<') return true;
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9')
    ++digits;
  return digits > 0 && digits + 1 < t.size() && (t[digits] == '.' || t[digits] == ')') &&
         t[digits + 1] == ' ';
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

Sentence given_sentence(std::string text) {
  Sentence sentence;
  sentence.lowercase_after_opener = is_common_word(first_word(text));
  sentence.text = std::move(text);
  return sentence;
}

Block given_paragraph(std::string_view text) {
  std::vector<Sentence> sentences;
  for (std::string& sentence : split_sentences(text))
    sentences.push_back(given_sentence(std::move(sentence)));
  Block block = paragraph_block(std::move(sentences));
  block.generated = false;
  return block;
}

Block given_verbatim(std::string text) {
  Block block;
  block.kind = BlockKind::verbatim;
  block.text = std::move(text);
  block.generated = false;
  return block;
}

bool is_heading(const Block& block) {
  return block.kind == BlockKind::heading2 || block.kind == BlockKind::heading3;
}

// Where a sentence sits: its block and its index in the block.
struct SentenceRef {
  std::size_t block;
  std::size_t index;
};

std::vector<SentenceRef> paragraph_sentences(const Document& document) {
  std::vector<SentenceRef> refs;
  for (std::size_t b = 0; b < document.blocks.size(); ++b) {
    const Block& block = document.blocks[b];
    if (block.kind != BlockKind::paragraph) continue;
    for (std::size_t i = 0; i < block.sentences.size(); ++i)
      refs.push_back({b, i});
  }
  return refs;
}

std::string beginning_of(const Sentence& sentence) {
  return first_word(sentence.opener.empty() ? sentence.text : sentence.opener);
}

// How well an opener ("In addition,") fits before a sentence: best before a plain clause that
// starts with its subject, acceptably before an instruction, never before a question, a sentence
// that already opens with a phrase ("That way, …"), a long one or a name.
enum class OpenerFit { none, acceptable, good };

bool opens_with_phrase(std::string_view text) {
  std::string_view start = text.substr(0, text.find(' ', text.find(' ') + 1));
  return start.find_first_of(",:") != std::string_view::npos;
}

OpenerFit opener_fit(const Sentence& sentence) {
  if (!sentence.opener.empty() || !sentence.lowercase_after_opener || sentence.text.empty() ||
      sentence.text.back() == '?' || count_words(sentence.text) > kMaxWordsBeforeOpener ||
      opens_with_phrase(sentence.text))
    return OpenerFit::none;
  return starts_with_subject(sentence.text) ? OpenerFit::good : OpenerFit::acceptable;
}

// Gives `needed` of the `candidates` an opener, spread evenly over them.
void give_openers(Document& document, Composer& composer,
                  const std::vector<SentenceRef>& candidates, std::int64_t needed) {
  if (needed <= 0 || candidates.empty()) return;
  needed = std::min<std::int64_t>(needed, static_cast<std::int64_t>(candidates.size()));
  double stride = static_cast<double>(candidates.size()) / static_cast<double>(needed);
  for (std::int64_t k = 0; k < needed; ++k) {
    const SentenceRef& ref = candidates[static_cast<std::size_t>(static_cast<double>(k) * stride)];
    Block& block = document.blocks[ref.block];
    std::string previous = beginning_of(block.sentences[ref.index - 1]);
    block.sentences[ref.index].opener = std::string(composer.opener(previous));
  }
}

// Splits one paragraph into pieces of about equal length under `max_words` each.
std::vector<Block> split_paragraph(const Block& block, std::int64_t max_words) {
  std::int64_t words = count_words(block);
  auto pieces =
      static_cast<std::int64_t>(std::ceil(static_cast<double>(words) / (max_words * 2 / 3)));
  std::int64_t target = words / std::max<std::int64_t>(pieces, 1);
  std::vector<Block> out;
  Block current = block;
  current.sentences.clear();
  std::int64_t current_words = 0;
  for (const Sentence& sentence : block.sentences) {
    if (current_words >= target && !current.sentences.empty()) {
      out.push_back(current);
      current.sentences.clear();
      current_words = 0;
    }
    current.sentences.push_back(sentence);
    current_words += count_words(render_sentence(sentence));
  }
  if (!current.sentences.empty()) out.push_back(current);
  for (Block& piece : out)
    piece.sentences.front().opener.clear();
  return out;
}

// The first stretch of text (blocks between headings) over `max_words`, as [first, last).
std::pair<std::size_t, std::size_t> find_long_stretch(const Document& document,
                                                      std::int64_t max_words) {
  std::size_t first = 0;
  std::int64_t words = 0;
  for (std::size_t i = 0; i <= document.blocks.size(); ++i) {
    bool boundary = i == document.blocks.size() || is_heading(document.blocks[i]);
    if (!boundary) {
      words += count_words(document.blocks[i]);
      continue;
    }
    if (words > max_words && i - first >= 2) return {first, i};
    first = i + 1;
    words = 0;
  }
  return {0, 0};
}

// The block index in [first, last) before which the stretch is cut closest to its middle.
std::size_t middle_of_stretch(const Document& document, std::size_t first, std::size_t last) {
  std::int64_t total = 0;
  for (std::size_t i = first; i < last; ++i)
    total += count_words(document.blocks[i]);
  std::int64_t running = 0;
  std::size_t best = first + 1;
  std::int64_t best_distance = total;
  for (std::size_t i = first; i + 1 < last; ++i) {
    running += count_words(document.blocks[i]);
    std::int64_t distance = std::abs(total / 2 - running);
    if (distance < best_distance) {
      best_distance = distance;
      best = i + 1;
    }
  }
  return best;
}

bool keyword_headings_below_half(const Document& document, std::string_view phrase) {
  std::int64_t headings = 0;
  std::int64_t with_keyword = 0;
  for (const Block& block : document.blocks) {
    if (!is_heading(block)) continue;
    ++headings;
    if (contains_phrase(block.text, phrase)) ++with_keyword;
  }
  return with_keyword * 2 < headings + 1;
}

}  // namespace

Block heading_block(BlockKind kind, std::string text, int section) {
  Block block;
  block.kind = kind;
  block.text = std::move(text);
  block.section = section;
  return block;
}

Block paragraph_block(std::vector<Sentence> sentences, int section) {
  Block block;
  block.kind = BlockKind::paragraph;
  block.sentences = std::move(sentences);
  block.section = section;
  return block;
}

std::string to_markdown(const Document& document) {
  std::string out;
  for (const Block& block : document.blocks) {
    if (block.kind == BlockKind::paragraph && block.sentences.empty()) continue;
    if (!out.empty()) out += "\n\n";
    switch (block.kind) {
      case BlockKind::heading2:
        out += "## " + block.text;
        break;
      case BlockKind::heading3:
        out += "### " + block.text;
        break;
      case BlockKind::verbatim:
        out += block.text;
        break;
      case BlockKind::paragraph:
        for (std::size_t i = 0; i < block.sentences.size(); ++i) {
          if (i > 0) out += ' ';
          out += render_sentence(block.sentences[i]);
        }
        break;
    }
  }
  out += '\n';
  return out;
}

Document parse_markdown(std::string_view markdown) {
  Document document;
  std::vector<std::string_view> lines = lines_of(markdown);
  std::string paragraph;
  auto flush_paragraph = [&] {
    if (!paragraph.empty()) document.blocks.push_back(given_paragraph(paragraph));
    paragraph.clear();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (is_blank(line)) {
      flush_paragraph();
      continue;
    }
    if (is_fence(line)) {
      flush_paragraph();
      std::string code(line);
      while (++i < lines.size()) {
        code += "\n";
        code += lines[i];
        if (is_fence(lines[i])) break;
      }
      document.blocks.push_back(given_verbatim(std::move(code)));
      continue;
    }
    if (int level = heading_level(line); level > 0) {
      flush_paragraph();
      if (level >= 4) {
        document.blocks.push_back(given_verbatim(std::string(line)));
        continue;
      }
      Block heading =
          heading_block(level <= 2 ? BlockKind::heading2 : BlockKind::heading3, heading_text(line));
      heading.generated = false;
      document.blocks.push_back(std::move(heading));
      continue;
    }
    if (paragraph.empty() && starts_verbatim(line)) {
      std::string text(line);
      while (i + 1 < lines.size() && !is_blank(lines[i + 1])) {
        text += "\n";
        text += lines[++i];
      }
      document.blocks.push_back(given_verbatim(std::move(text)));
      continue;
    }
    if (!paragraph.empty()) paragraph += ' ';
    paragraph += trim(line);
  }
  flush_paragraph();
  return document;
}

std::int64_t count_words(const Block& block) {
  if (block.kind != BlockKind::paragraph) return count_words(std::string_view(block.text));
  std::int64_t words = 0;
  for (const Sentence& sentence : block.sentences)
    words += count_words(render_sentence(sentence));
  return words;
}

std::int64_t count_words(const Document& document) {
  std::int64_t words = 0;
  for (const Block& block : document.blocks)
    words += count_words(block);
  return words;
}

bool any_block(const Block&) {
  return true;
}
bool generated_block(const Block& block) {
  return block.generated;
}

void vary_sentence_beginnings(Document& document, Composer& composer, const BlockFilter& editable) {
  std::vector<SentenceRef> refs = paragraph_sentences(document);
  auto sentence_at = [&](std::size_t i) -> Sentence& {
    return document.blocks[refs[i].block].sentences[refs[i].index];
  };
  std::vector<std::string> beginnings;
  for (std::size_t i = 0; i < refs.size(); ++i)
    beginnings.push_back(beginning_of(sentence_at(i)));
  for (std::size_t i = 2; i < refs.size(); ++i) {
    const std::string& word = beginnings[i];
    if (word.empty() || word != beginnings[i - 1] || word != beginnings[i - 2]) continue;
    for (std::size_t candidate : {i, i - 1}) {
      Sentence& sentence = sentence_at(candidate);
      if (!editable(document.blocks[refs[candidate].block]) || !sentence.opener.empty() ||
          !sentence.lowercase_after_opener)
        continue;
      sentence.opener = std::string(composer.opener(word));
      beginnings[candidate] = beginning_of(sentence);
      break;
    }
  }
}

void add_transitions(Document& document, Composer& composer, int percent,
                     const BlockFilter& editable) {
  std::vector<SentenceRef> refs = paragraph_sentences(document);
  std::int64_t with_transition = 0;
  std::int64_t headings = 0;
  for (const Block& block : document.blocks) {
    if (!is_heading(block)) continue;
    ++headings;
    if (has_transition(block.text)) ++with_transition;
  }
  std::vector<SentenceRef> good;
  std::vector<SentenceRef> acceptable;
  for (const SentenceRef& ref : refs) {
    const Block& block = document.blocks[ref.block];
    const Sentence& sentence = block.sentences[ref.index];
    if (has_transition(render_sentence(sentence))) {
      ++with_transition;
      continue;
    }
    if (ref.index == 0 || !block.accepts_openers || !editable(block)) continue;
    OpenerFit fit = opener_fit(sentence);
    if (fit == OpenerFit::good) good.push_back(ref);
    if (fit == OpenerFit::acceptable) acceptable.push_back(ref);
  }
  auto sentences = static_cast<std::int64_t>(refs.size()) + headings;
  std::int64_t needed = sentences * percent / 100 + 1 - with_transition;
  give_openers(document, composer, good, needed);
  give_openers(document, composer, acceptable, needed - static_cast<std::int64_t>(good.size()));
}

void split_long_sentences(Document& document, std::int64_t max_words, const BlockFilter& editable) {
  for (Block& block : document.blocks) {
    if (block.kind != BlockKind::paragraph || !editable(block)) continue;
    std::vector<Sentence> sentences;
    for (const Sentence& sentence : block.sentences) {
      std::string text = render_sentence(sentence);
      std::vector<std::string> parts = split_long_sentence(text, max_words);
      if (parts.size() == 1) {
        sentences.push_back(sentence);
        continue;
      }
      for (std::string& part : parts)
        sentences.push_back(given_sentence(std::move(part)));
    }
    block.sentences = std::move(sentences);
  }
}

void split_long_paragraphs(Document& document, std::int64_t max_words) {
  std::vector<Block> blocks;
  for (Block& block : document.blocks) {
    if (block.kind != BlockKind::paragraph || block.sentences.size() < 2 ||
        count_words(block) <= max_words) {
      blocks.push_back(std::move(block));
      continue;
    }
    for (Block& piece : split_paragraph(block, max_words))
      blocks.push_back(std::move(piece));
  }
  document.blocks = std::move(blocks);
}

void add_missing_subheadings(Document& document, std::int64_t max_words, Composer& composer) {
  for (std::size_t added = 0; added < document.blocks.size(); ++added) {
    auto [first, last] = find_long_stretch(document, max_words);
    if (first == last) return;
    std::size_t at = middle_of_stretch(document, first, last);
    bool with_keyword = keyword_headings_below_half(document, composer.keyword().phrase);
    std::string text = composer.text(continuation_heading(with_keyword, added));
    Block heading =
        heading_block(BlockKind::heading3, std::move(text), document.blocks[at].section);
    composer.observe(heading.text);
    document.blocks.insert(document.blocks.begin() + static_cast<std::ptrdiff_t>(at),
                           std::move(heading));
  }
}

}  // namespace seoagents::jobs::builtin
