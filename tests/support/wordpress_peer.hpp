// The real WordPress that integration tests publish to (../shared/wordpress/wp-peer.sh): where it
// is, from SEOAGENTS_WP_ENV_FILE (the env file wp-peer.sh prints) or WP_URL, WP_USER and
// WP_APP_PASSWORD; and a small blocking client of its REST API, with which a test checks what
// the server did on the site independently of the server.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/http_client.hpp"

namespace seoagents::testing {

struct WordPressPeer {
  // "http://127.0.0.1:8089" (no trailing slash).
  std::string url;
  std::string user;
  std::string password;

  // The port of a loopback URL (the peer listens on 127.0.0.1); throws for any other URL.
  std::uint16_t loopback_port() const;
};

// What a skipped test says to run it.
inline constexpr std::string_view kWordPressHowToEnable =
    "no WordPress peer: run `export SEOAGENTS_WP_ENV_FILE=$(../shared/wordpress/wp-peer.sh "
    "start)` from the repository root (or set WP_URL, WP_USER and WP_APP_PASSWORD) to run this "
    "test; .ci/run does";

// The peer, or nullopt when no variable names one. An env file that is named but unreadable is a
// gtest failure (whoever named it meant the tests to run), and nullopt.
std::optional<WordPressPeer> wordpress_peer();

// Requests to the peer's REST API (/wp-json/...) with its user's application password.
class WordPressRest {
 public:
  explicit WordPressRest(WordPressPeer peer) : peer_(std::move(peer)) {}

  // `route` without /wp-json/, e.g. "wp/v2/posts/12?context=edit".
  ClientResponse get(std::string_view route) const;
  ClientResponse post(std::string_view route, std::string body) const;
  ClientResponse remove(std::string_view route) const;

  // The post as GET wp/v2/posts/{id}?context=edit shows it; nullopt on 404.
  std::optional<boost::json::object> post_by_id(std::int64_t id) const;
  // Every post (any status, the trash included) whose slug is `slug`, or whose slug became
  // `slug__trashed` in the trash.
  std::vector<boost::json::object> posts_with_slug(std::string_view slug) const;
  // Every post (any status, the trash included) whose content holds `needle`.
  std::vector<boost::json::object> posts_containing(std::string_view needle) const;
  // Deletes the post for good (DELETE ?force=true); true when WordPress did.
  bool delete_post(std::int64_t id) const;

  const WordPressPeer& peer() const { return peer_; }

 private:
  ClientResponse send(bhttp::verb method, std::string_view route, std::string body) const;
  std::vector<boost::json::object> post_list(std::string_view route) const;

  WordPressPeer peer_;
};

}  // namespace seoagents::testing
