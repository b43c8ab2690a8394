// Text clean-up shared by the Markdown and HTML readers.
#include "seo/document.hpp"

namespace seoagents::seo {

std::string normalize_space(std::string_view text) {
  std::string normalized;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r') {
      pending_space = !normalized.empty() && normalized.back() != '\n';
      continue;
    }
    if (c == '\n') {
      while (!normalized.empty() && normalized.back() == ' ')
        normalized.pop_back();
      if (!normalized.empty() && normalized.back() != '\n') normalized += '\n';
      pending_space = false;
      continue;
    }
    if (pending_space) normalized += ' ';
    pending_space = false;
    normalized += c;
  }
  while (!normalized.empty() && (normalized.back() == '\n' || normalized.back() == ' ')) {
    normalized.pop_back();
  }
  return normalized;
}

}  // namespace seoagents::seo
