// Reads what a WordPress site has published, for audits: its published posts, then its
// published pages, through the REST API with the site's application password
// (`/wp/v2/posts?status=publish&context=edit`, 100 a request — fewer when an answer is over the
// outbound client's size cap — following X-WP-TotalPages, in id order so that posts published
// meanwhile do not shift the pages still to read), up to a cap.
// Besides the content it picks up the SEO plugin data the site exposes: Yoast's
// `yoast_head_json.description`, and the meta keys `_yoast_wpseo_focuskw`,
// `_yoast_wpseo_metadesc`, `rank_math_focus_keyword` and `rank_math_description` when they are
// registered for REST.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/outbound_client.hpp"
#include "jobs/wordpress/rest.hpp"

namespace seoagents::wordpress {

// One published post or page.
struct PublishedItem {
  std::int64_t id = 0;
  // "post" or "page".
  std::string type;
  // Its public URL.
  std::string link;
  std::string slug;
  // As written (title.raw).
  std::string title;
  // As visitors see it (content.rendered): blocks and shortcodes expanded.
  std::string content_html;
  // From the SEO plugin, else the post's own excerpt (excerpt.raw); may be empty.
  std::string meta_description;
  // "yoast", "rank_math", "excerpt" or "none".
  std::string meta_description_source;
  // From the SEO plugin's meta; empty when the site exposes none.
  std::string focus_keyphrase;
  // "yoast", "rank_math" or "" (none exposed).
  std::string focus_keyphrase_source;
};

struct SiteContent {
  std::vector<PublishedItem> items;
  // The cap was reached: the site may have more published items than were read.
  bool capped = false;
};

struct ReadFailure {
  std::string message;
  // Worth another attempt (a timeout, a 5xx, a refused connection); else the site refused the
  // request for good (credentials, permissions, not WordPress).
  bool retryable = false;
};

// Called after each page of results: (items read so far, what is being read: "posts"/"pages").
using ReadProgress = std::function<asio::awaitable<void>(std::size_t, const std::string&)>;

// Reads at most `max_items` published posts and pages (posts first).
asio::awaitable<Expected<SiteContent, ReadFailure>> read_published_content(
    OutboundClient& client, const SiteCredentials& site, std::size_t max_items,
    const ReadProgress& progress);

}  // namespace seoagents::wordpress
