// WordPress posts over the REST API, and how its answers map to failures (see posts.hpp).
#include "jobs/wordpress/posts.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/crypto.hpp"

namespace seoagents::wordpress {
namespace {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

// What a read asks for: what the publish job needs of a post, meta included (context=edit).
constexpr std::string_view kPostFields = "_fields=id,status,link,slug,meta,content";
// Every status a post may have but auto-draft: the trash too, so that a trashed post is found.
constexpr std::string_view kEveryStatus = "publish,future,draft,pending,private,trash";
// Marked posts read by one search (more than one is already an anomaly).
constexpr int kSearchPage = 20;
// WordPress's code for a post id that does not exist.
constexpr std::string_view kNoSuchPost = "rest_post_invalid_id";

std::string text_member(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// A post from its JSON, or nullopt when it is not one (no integer id).
std::optional<Post> post_from(const json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const json::object& object = value.get_object();
  const json::value* id = object.if_contains("id");
  if (id == nullptr || !id->is_int64()) return std::nullopt;
  Post post;
  post.id = id->get_int64();
  post.status = text_member(object, "status");
  post.link = text_member(object, "link");
  post.slug = text_member(object, "slug");
  // No registered meta comes as [] (an empty PHP array).
  if (const json::value* meta = object.if_contains("meta"); meta && meta->is_object())
    post.meta = meta->get_object();
  if (const json::value* content = object.if_contains("content"); content && content->is_object())
    post.raw_content = text_member(content->get_object(), "raw");
  return post;
}

// A 2xx answer that is not what was asked (`expected`: "a post").
PostFailure not_understood(const OutboundResponse& response, std::string_view expected) {
  PostFailure failure;
  failure.http_status = response.status;
  failure.message = "WordPress answered HTTP " + std::to_string(response.status) +
                    " with something that is not " + std::string(expected) +
                    "; is the site's URL the WordPress site itself?";
  return failure;
}

PostResult<Post> parsed_post(const OutboundResponse& response) {
  boost::system::error_code ec;
  json::value value = json::parse(response.body, ec);
  std::optional<Post> post = ec ? std::nullopt : post_from(value);
  if (!post) return unexpected(not_understood(response, "a post"));
  return *post;
}

// The answer to a call on one post: the post, nullopt for a 404 naming no such post, or a
// failure.
PostResult<std::optional<Post>> post_or_absent(const OutboundResponse& response) {
  if (response.status == 404 && error_code(response) == kNoSuchPost) return std::optional<Post>();
  if (response.status / 100 != 2) return unexpected(answer_failure(response));
  PostResult<Post> post = parsed_post(response);
  if (!post) return unexpected(post.error());
  return std::optional<Post>(std::move(post).value());
}

// The oldest post of a search answer whose raw content holds the marker comment.
PostResult<std::optional<Post>> marked_post(const OutboundResponse& response,
                                            std::string_view marker) {
  if (response.status / 100 != 2) return unexpected(answer_failure(response));
  boost::system::error_code ec;
  json::value value = json::parse(response.body, ec);
  if (ec || !value.is_array()) return unexpected(not_understood(response, "a list of posts"));
  std::string comment = marker_comment(marker);
  std::optional<Post> oldest;
  for (const json::value& item : value.get_array()) {
    std::optional<Post> post = post_from(item);
    if (!post || post->raw_content.find(comment) == std::string::npos) continue;
    if (!oldest || post->id < oldest->id) oldest = std::move(post);
  }
  return oldest;
}

std::string post_route(std::int64_t id, std::string_view query) {
  std::string route = "wp/v2/posts/" + std::to_string(id);
  if (!query.empty()) route.append("?").append(query);
  return route;
}

std::string search_route(std::string_view marker) {
  std::string route("wp/v2/posts?context=edit&orderby=id&order=asc&per_page=");
  route.append(std::to_string(kSearchPage)).append("&status=").append(kEveryStatus);
  route.append("&search=").append(marker).append("&").append(kPostFields);
  return route;
}

std::string read_route(std::int64_t id) {
  return post_route(id, std::string("context=edit&") + std::string(kPostFields));
}

}  // namespace

std::string article_marker(std::string_view s3_key) {
  return "seoagents-article-" + sha256_hex(s3_key).substr(0, 16);
}

std::string marker_comment(std::string_view marker) {
  std::string comment("<!-- ");
  comment.append(marker).append(" -->");
  return comment;
}

std::string post_body(const PostFields& fields) {
  json::object body;
  body["title"] = fields.title;
  body["content"] = fields.content;
  body["status"] = fields.status;
  body["slug"] = fields.slug;
  body["excerpt"] = fields.excerpt;
  if (!fields.meta.empty()) body["meta"] = fields.meta;
  return json::serialize(body);
}

PostFailure answer_failure(const OutboundResponse& response) {
  PostFailure failure;
  failure.http_status = response.status;
  failure.code = error_code(response);
  std::string detail = describe_error(response);
  unsigned status = response.status;
  failure.retryable = status >= 500 || status == 408 || status == 429;
  if (status == 401 || status == 403) {
    failure.message = "WordPress refused the request (" + detail +
                      "): check the site's user name and application password, and that the "
                      "user may publish posts";
  } else if (failure.retryable) {
    failure.message = "WordPress is unavailable (" + detail + ")";
  } else if (status / 100 == 3) {
    failure.message = "WordPress redirected the request (" + detail + ")";
  } else {
    failure.message = "WordPress rejected the post (" + detail + ")";
  }
  return failure;
}

PostFailure transport_failure(const OutboundFailure& failure) {
  using Kind = OutboundFailure::Kind;
  PostFailure out;
  out.retryable = failure.kind == Kind::dns || failure.kind == Kind::connect ||
                  failure.kind == Kind::timeout || failure.kind == Kind::protocol;
  std::string detail = describe_failure(failure);
  out.message = out.retryable
                    ? "WordPress could not be reached (" + detail + ")"
                    : "The request to WordPress was not sent or not accepted (" + detail + ")";
  return out;
}

asio::awaitable<PostResult<bool>> check_credentials(OutboundClient& client,
                                                    const SiteCredentials& site) {
  auto response =
      co_await client.send(rest_request(bhttp::verb::get, site, "wp/v2/users/me?_fields=id"));
  if (!response) co_return unexpected(transport_failure(response.error()));
  if (response->status / 100 != 2) co_return unexpected(answer_failure(*response));
  co_return true;
}

asio::awaitable<PostResult<Post>> create_post(OutboundClient& client, const SiteCredentials& site,
                                              const PostFields& fields) {
  auto response =
      co_await client.send(rest_request(bhttp::verb::post, site, "wp/v2/posts", post_body(fields)));
  if (!response) co_return unexpected(transport_failure(response.error()));
  if (response->status / 100 != 2) co_return unexpected(answer_failure(*response));
  co_return parsed_post(*response);
}

asio::awaitable<PostResult<std::optional<Post>>> update_post(OutboundClient& client,
                                                             const SiteCredentials& site,
                                                             std::int64_t id,
                                                             const PostFields& fields) {
  auto response = co_await client.send(
      rest_request(bhttp::verb::post, site, post_route(id, {}), post_body(fields)));
  if (!response) co_return unexpected(transport_failure(response.error()));
  co_return post_or_absent(*response);
}

asio::awaitable<PostResult<std::optional<Post>>> read_post(OutboundClient& client,
                                                           const SiteCredentials& site,
                                                           std::int64_t id) {
  auto response = co_await client.send(rest_request(bhttp::verb::get, site, read_route(id)));
  if (!response) co_return unexpected(transport_failure(response.error()));
  co_return post_or_absent(*response);
}

asio::awaitable<PostResult<std::optional<Post>>> find_marked_post(OutboundClient& client,
                                                                  const SiteCredentials& site,
                                                                  std::string_view marker) {
  auto response = co_await client.send(rest_request(bhttp::verb::get, site, search_route(marker)));
  if (!response) co_return unexpected(transport_failure(response.error()));
  co_return marked_post(*response, marker);
}

asio::awaitable<PostResult<std::vector<std::string>>> rest_namespaces(OutboundClient& client,
                                                                      std::string_view site_url) {
  auto response = co_await client.send(
      anonymous_rest_request(bhttp::verb::get, site_url, "?_fields=namespaces"));
  if (!response) co_return unexpected(transport_failure(response.error()));
  if (response->status / 100 != 2) co_return unexpected(answer_failure(*response));
  boost::system::error_code ec;
  json::value index = json::parse(response->body, ec);
  std::vector<std::string> namespaces;
  const json::value* list =
      !ec && index.is_object() ? index.get_object().if_contains("namespaces") : nullptr;
  if (list == nullptr || !list->is_array())
    co_return unexpected(not_understood(*response, "a REST API index"));
  for (const json::value& name : list->get_array()) {
    if (name.is_string()) namespaces.emplace_back(name.get_string());
  }
  co_return namespaces;
}

}  // namespace seoagents::wordpress
