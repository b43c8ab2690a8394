// Posts through a WordPress site's REST API (wp/v2/posts): create one, update one, read one
// back, and find the post an article was published as by the marker its content carries. Every
// answer other than the expected one becomes a PostFailure that says whether another attempt
// could succeed (5xx, 408, 429, timeouts, refused or dropped connections) or not (401/403 bad
// credentials or rights, 400 invalid fields, a URL the SSRF guard refuses, TLS failures), with
// WordPress's own error code and message.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/outbound_client.hpp"
#include "jobs/wordpress/rest.hpp"

namespace seoagents::wordpress {

namespace asio = boost::asio;

// What a publish sends.
struct PostFields {
  std::string title;
  // HTML.
  std::string content;
  // "draft", "publish", "pending" or "private".
  std::string status;
  std::string slug;
  std::string excerpt;
  // Post meta to set (empty: none sent). WordPress stores only registered keys and silently
  // drops the others.
  boost::json::object meta;
};

// A post as WordPress answered it (context=edit).
struct Post {
  std::int64_t id = 0;
  std::string status;
  std::string link;
  std::string slug;
  // The registered meta WordPress shows (empty when it shows none).
  boost::json::object meta;
  // The content as stored (content.raw), when the answer has it.
  std::string raw_content;
};

// Why a call did not give what was asked.
struct PostFailure {
  // Another attempt may succeed.
  bool retryable = false;
  // The HTTP status, 0 when WordPress gave no answer.
  unsigned http_status = 0;
  // WordPress's error code ("rest_cannot_create"), or empty.
  std::string code;
  // For people: what happened and, where it helps, what to do.
  std::string message;
};

template <class T>
using PostResult = Expected<T, PostFailure>;

// The marker a published article's content carries: "seoagents-article-" + 16 hex digits of
// SHA-256(s3_key). One word, so WordPress's search finds it.
std::string article_marker(std::string_view s3_key);
// The marker as the HTML comment appended to the content: invisible on the page, kept by
// WordPress's HTML filter for every role.
std::string marker_comment(std::string_view marker);

// The JSON body of a create or an update.
std::string post_body(const PostFields& fields);

// A non-2xx answer (or a 2xx that is not a post) as a failure.
PostFailure answer_failure(const OutboundResponse& response);
// No answer at all.
PostFailure transport_failure(const OutboundFailure& failure);

// GET wp/v2/users/me: are the credentials accepted? Called first, so that a wrong password is
// reported as WordPress's own refusal (401 rest_not_logged_in, incorrect_password, …) rather
// than as whatever the next call makes of an anonymous request.
asio::awaitable<PostResult<bool>> check_credentials(OutboundClient& client,
                                                    const SiteCredentials& site);
// POST wp/v2/posts.
asio::awaitable<PostResult<Post>> create_post(OutboundClient& client, const SiteCredentials& site,
                                              const PostFields& fields);
// POST wp/v2/posts/{id}. nullopt: there is no such post (deleted for good). A post in the trash
// is updated like any other, which takes it out of the trash.
asio::awaitable<PostResult<std::optional<Post>>> update_post(OutboundClient& client,
                                                             const SiteCredentials& site,
                                                             std::int64_t id,
                                                             const PostFields& fields);
// GET wp/v2/posts/{id}?context=edit. nullopt: there is no such post.
asio::awaitable<PostResult<std::optional<Post>>> read_post(OutboundClient& client,
                                                           const SiteCredentials& site,
                                                           std::int64_t id);
// The post (any status, the trash included) whose stored content holds `marker`; the oldest when
// several do. nullopt when none does.
asio::awaitable<PostResult<std::optional<Post>>> find_marked_post(OutboundClient& client,
                                                                  const SiteCredentials& site,
                                                                  std::string_view marker);
// The REST namespaces the site announces ("wp/v2", "elementor/v1", …).
asio::awaitable<PostResult<std::vector<std::string>>> rest_namespaces(OutboundClient& client,
                                                                      std::string_view site_url);

}  // namespace seoagents::wordpress
