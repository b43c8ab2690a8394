// Reading a site's published posts and pages (see site_reader.hpp).
#include "jobs/wordpress/site_reader.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>

namespace seoagents::wordpress {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

// WordPress's largest page size.
constexpr std::size_t kPerPage = 100;
// What an item's answer needs; the rest (content.raw, guid, _links, Yoast's schema graph…) is
// left out of the response, which keeps 100 posts well under the outbound client's size cap.
constexpr std::string_view kFields =
    "id,type,link,slug,title.raw,title.rendered,content.rendered,excerpt.raw,meta,"
    "yoast_head_json.description";

using ReadResult = Expected<SiteContent, ReadFailure>;

std::string string_member(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The `part` ("raw" or "rendered") of a {raw, rendered} member such as title or content.
std::string rendition(const json::object& item, std::string_view member, std::string_view part) {
  const json::value* value = item.if_contains(member);
  if (!value || !value->is_object()) return {};
  return string_member(value->get_object(), part);
}

// A meta value the site registered for REST; `meta` is an object, or [] when it has none.
std::string meta_text(const json::object& item, std::string_view key) {
  const json::value* meta = item.if_contains("meta");
  if (!meta || !meta->is_object()) return {};
  return string_member(meta->get_object(), key);
}

void pick_meta_description(const json::object& item, PublishedItem& out) {
  const json::value* head = item.if_contains("yoast_head_json");
  std::string yoast =
      head && head->is_object() ? string_member(head->get_object(), "description") : std::string();
  if (yoast.empty()) yoast = meta_text(item, "_yoast_wpseo_metadesc");
  if (!yoast.empty()) {
    out.meta_description = std::move(yoast);
    out.meta_description_source = "yoast";
    return;
  }
  if (std::string rank_math = meta_text(item, "rank_math_description"); !rank_math.empty()) {
    out.meta_description = std::move(rank_math);
    out.meta_description_source = "rank_math";
    return;
  }
  out.meta_description = rendition(item, "excerpt", "raw");
  out.meta_description_source = out.meta_description.empty() ? "none" : "excerpt";
}

void pick_focus_keyphrase(const json::object& item, PublishedItem& out) {
  if (std::string yoast = meta_text(item, "_yoast_wpseo_focuskw"); !yoast.empty()) {
    out.focus_keyphrase = std::move(yoast);
    out.focus_keyphrase_source = "yoast";
    return;
  }
  if (std::string rank_math = meta_text(item, "rank_math_focus_keyword"); !rank_math.empty()) {
    // Rank Math keeps several keyphrases comma-separated; the first is the focus one.
    out.focus_keyphrase = rank_math.substr(0, rank_math.find(','));
    out.focus_keyphrase_source = "rank_math";
  }
}

std::optional<PublishedItem> item_from(const json::value& value, std::string_view fallback_type) {
  if (!value.is_object()) return std::nullopt;
  const json::object& item = value.get_object();
  const json::value* id = item.if_contains("id");
  if (!id || !id->is_int64()) return std::nullopt;
  PublishedItem out;
  out.id = id->get_int64();
  out.type = string_member(item, "type");
  if (out.type.empty()) out.type = fallback_type;
  out.link = string_member(item, "link");
  out.slug = string_member(item, "slug");
  out.title = rendition(item, "title", "raw");
  if (out.title.empty()) out.title = rendition(item, "title", "rendered");
  out.content_html = rendition(item, "content", "rendered");
  pick_meta_description(item, out);
  pick_focus_keyphrase(item, out);
  return out;
}

// X-WP-TotalPages, or 1 when absent or malformed.
std::size_t total_pages(const OutboundResponse& response) {
  auto header = response.headers.find("X-WP-TotalPages");
  if (header == response.headers.end()) return 1;
  std::string_view text = header->value();
  std::size_t pages = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pages);
  return ec == std::errc() && end == text.data() + text.size() ? pages : 1;
}

ReadFailure refused(const OutboundResponse& response, std::string_view collection) {
  std::string message("WordPress refused to list the published ");
  message.append(collection).append(": ").append(describe_error(response));
  bool retryable = response.status >= 500 || response.status == 429 || response.status == 408;
  return {std::move(message), retryable};
}

std::string route_of(std::string_view collection, std::size_t page, std::size_t per_page) {
  std::string route("wp/v2/");
  route.append(collection)
      .append("?status=publish&context=edit&orderby=id&order=asc&per_page=")
      .append(std::to_string(per_page))
      .append("&page=")
      .append(std::to_string(page))
      .append("&_fields=")
      .append(kFields);
  return route;
}

ReadFailure unreachable(const OutboundFailure& failure, std::string_view collection) {
  std::string message("Could not read the site's ");
  message.append(collection).append(": ").append(describe_failure(failure));
  bool retryable = failure.kind != OutboundFailure::Kind::invalid_url &&
                   failure.kind != OutboundFailure::Kind::unsafe_url &&
                   failure.kind != OutboundFailure::Kind::too_large;
  return {std::move(message), retryable};
}

ReadFailure not_a_list(std::string_view collection) {
  std::string message("The site's answer for its ");
  message.append(collection).append(" is not a JSON list");
  return {std::move(message), false};
}

// Reads one collection ("posts" or "pages") into `content` until it holds `cap` items or the
// collection's last page was read.
asio::awaitable<std::optional<ReadFailure>> read_collection(OutboundClient& client,
                                                            const SiteCredentials& site,
                                                            std::string collection, std::size_t cap,
                                                            const ReadProgress& progress,
                                                            SiteContent& content) {
  std::string fallback_type = collection == "pages" ? "page" : "post";
  std::size_t per_page = std::min(kPerPage, cap - content.items.size());
  for (std::size_t page = 1;; ++page) {
    auto response = co_await client.send(
        rest_request(bhttp::verb::get, site, route_of(collection, page, per_page)));
    if (!response && response.error().kind == OutboundFailure::Kind::too_large &&
        per_page % 2 == 0) {
      // Over the response size cap: read the same items again in pages half as large (item
      // (page - 1) * per_page starts page 2 * (page - 1) + 1 of the new size).
      page = 2 * (page - 1);
      per_page /= 2;
      continue;
    }
    if (!response) co_return unreachable(response.error(), collection);
    if (response->status != 200) co_return refused(*response, collection);
    boost::system::error_code ec;
    json::value body = json::parse(response->body, ec);
    if (ec || !body.is_array()) co_return not_a_list(collection);
    for (const json::value& value : body.get_array()) {
      if (content.items.size() == cap) {
        content.capped = true;
        co_return std::nullopt;
      }
      if (auto item = item_from(value, fallback_type)) content.items.push_back(std::move(*item));
    }
    if (progress) co_await progress(content.items.size(), collection);
    if (page >= total_pages(*response) || body.get_array().empty()) co_return std::nullopt;
    if (content.items.size() == cap) {
      content.capped = true;
      co_return std::nullopt;
    }
  }
}

}  // namespace

asio::awaitable<ReadResult> read_published_content(OutboundClient& client,
                                                   const SiteCredentials& site,
                                                   std::size_t max_items,
                                                   const ReadProgress& progress) {
  SiteContent content;
  for (const char* collection : {"posts", "pages"}) {
    if (content.items.size() == max_items) {
      content.capped = true;
      break;
    }
    auto failure = co_await read_collection(client, site, collection, max_items, progress, content);
    if (failure) co_return unexpected(std::move(*failure));
  }
  co_return content;
}

}  // namespace seoagents::wordpress
