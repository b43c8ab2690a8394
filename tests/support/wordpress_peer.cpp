// The WordPress peer's location and a blocking client of its REST API (see wordpress_peer.hpp).
#include "tests/support/wordpress_peer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "core/crypto.hpp"

namespace seoagents::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kLoopbackPrefix = "http://127.0.0.1:";
// Every status a post can have but auto-draft.
constexpr std::string_view kEveryStatus = "publish,future,draft,pending,private,trash";

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// KEY=VALUE lines, values optionally in double quotes (the format wp-peer.sh writes).
std::optional<WordPressPeer> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  WordPressPeer peer;
  std::string line;
  while (std::getline(in, line)) {
    std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (key == "WP_URL") peer.url = value;
    if (key == "WP_USER") peer.user = value;
    if (key == "WP_APP_PASSWORD") peer.password = value;
  }
  if (peer.url.empty() || peer.user.empty() || peer.password.empty()) return std::nullopt;
  while (peer.url.ends_with('/'))
    peer.url.pop_back();
  return peer;
}

}  // namespace

std::uint16_t WordPressPeer::loopback_port() const {
  if (!url.starts_with(kLoopbackPrefix))
    throw std::runtime_error("the WordPress peer is not on http://127.0.0.1: " + url);
  return static_cast<std::uint16_t>(std::stoi(url.substr(kLoopbackPrefix.size())));
}

std::optional<WordPressPeer> wordpress_peer() {
  if (auto file = environment("SEOAGENTS_WP_ENV_FILE")) {
    auto peer = read_env_file(*file);
    if (!peer) {
      ADD_FAILURE() << "SEOAGENTS_WP_ENV_FILE=" << *file
                    << " has no WP_URL/WP_USER/WP_APP_PASSWORD";
    }
    return peer;
  }
  auto url = environment("WP_URL");
  auto user = environment("WP_USER");
  auto password = environment("WP_APP_PASSWORD");
  if (!url || !user || !password) return std::nullopt;
  return WordPressPeer{*url, *user, *password};
}

ClientResponse WordPressRest::send(bhttp::verb method, std::string_view route,
                                   std::string body) const {
  std::string target("/wp-json/");
  target.append(route);
  HeaderList headers{{"Authorization", "Basic " + base64_encode(peer_.user + ":" + peer_.password)},
                     {"Accept", "application/json"}};
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  HttpClient client(peer_.loopback_port());
  return client.request(method, target, std::move(body), headers);
}

ClientResponse WordPressRest::get(std::string_view route) const {
  return send(bhttp::verb::get, route, {});
}

ClientResponse WordPressRest::post(std::string_view route, std::string body) const {
  return send(bhttp::verb::post, route, std::move(body));
}

ClientResponse WordPressRest::remove(std::string_view route) const {
  return send(bhttp::verb::delete_, route, {});
}

std::optional<json::object> WordPressRest::post_by_id(std::int64_t id) const {
  ClientResponse response = get("wp/v2/posts/" + std::to_string(id) + "?context=edit");
  if (response.result_int() == 404) return std::nullopt;
  if (response.result_int() != 200) {
    throw std::runtime_error("WordPress answered " + std::to_string(response.result_int()) + ": " +
                             response.body());
  }
  return json::parse(response.body()).as_object();
}

std::vector<json::object> WordPressRest::post_list(std::string_view route) const {
  ClientResponse response = get(route);
  if (response.result_int() != 200) {
    throw std::runtime_error("WordPress answered " + std::to_string(response.result_int()) + ": " +
                             response.body());
  }
  std::vector<json::object> posts;
  json::value list = json::parse(response.body());
  for (const json::value& post : list.as_array())
    posts.push_back(post.as_object());
  return posts;
}

std::vector<json::object> WordPressRest::posts_with_slug(std::string_view slug) const {
  std::string prefix("wp/v2/posts?context=edit&per_page=100&status=");
  prefix.append(kEveryStatus).append("&slug=");
  std::vector<json::object> posts = post_list(prefix + std::string(slug));
  for (json::object& trashed : post_list(prefix + std::string(slug) + "__trashed"))
    posts.push_back(std::move(trashed));
  return posts;
}

std::vector<json::object> WordPressRest::posts_containing(std::string_view needle) const {
  std::string route("wp/v2/posts?context=edit&per_page=100&status=");
  route.append(kEveryStatus).append("&search=").append(needle);
  std::vector<json::object> posts;
  for (json::object& post : post_list(route)) {
    const json::value& raw = post.at("content").as_object().at("raw");
    if (raw.as_string().find(needle) != json::string::npos) posts.push_back(std::move(post));
  }
  return posts;
}

bool WordPressRest::delete_post(std::int64_t id) const {
  return remove("wp/v2/posts/" + std::to_string(id) + "?force=true").result_int() == 200;
}

}  // namespace seoagents::testing
