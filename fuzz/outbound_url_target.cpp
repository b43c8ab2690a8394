// Fuzz target: the SSRF guard's URL parser (core/url_guard.hpp), the gate of every URL the
// server fetches. An accepted URL must come apart into what the guard promises.
#include "core/url_guard.hpp"
#include "fuzz/targets.hpp"

namespace seoagents::fuzz {

int outbound_url(const std::uint8_t* data, std::size_t size) {
  auto url = parse_outbound_url(as_text(data, size));
  if (!url) return 0;
  bool promised = (url->scheme == "http" || url->scheme == "https") && !url->host.empty() &&
                  url->port != 0 && url->tls == (url->scheme == "https") && !url->target.empty() &&
                  url->target.front() == '/' && url->target.find('#') == std::string::npos &&
                  size <= kMaxOutboundUrlLength;
  if (!promised) __builtin_trap();
  (void)literal_address(*url);
  return 0;
}

}  // namespace seoagents::fuzz
