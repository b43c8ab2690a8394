// Fuzz target: a list's query string (limit, sort, cursor) as http/pagination.hpp reads it,
// cursor decoding included. The corpus holds real cursors made with the same key, so mutations
// reach the HMAC check and the decoded position.
#include "fuzz/targets.hpp"
#include "http/pagination.hpp"

namespace seoagents::fuzz {

int page_request(const std::uint8_t* data, std::size_t size) {
  static const http::CursorCodec codec("fuzz-cursor-key-0123456789abcdef");
  auto page = http::parse_page_request(as_text(data, size), "agents", "acct-fuzz",
                                       {"created_at", "name", "score"}, codec);
  if (page && page->after) {
    // What the server would hand out next from this position must decode back to it.
    std::string again = codec.encode(page->scope, page->sort_key(), *page->after);
    if (!codec.decode(again, page->scope, page->sort_key())) __builtin_trap();
  }
  return 0;
}

}  // namespace seoagents::fuzz
