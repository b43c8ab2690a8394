// Requests to a WordPress site's REST API and the description of its errors (see rest.hpp).
#include "jobs/wordpress/rest.hpp"

#include <boost/json/parse.hpp>

#include "core/crypto.hpp"

namespace seoagents::wordpress {
namespace {

namespace bhttp = boost::beast::http;

// The string member `key` of a JSON error body, or empty.
std::string body_member(const OutboundResponse& response, std::string_view key) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object()) return {};
  const auto* member = value.as_object().if_contains(key);
  return member && member->is_string() ? std::string(member->as_string()) : std::string();
}

}  // namespace

OutboundRequest anonymous_rest_request(bhttp::verb method, std::string_view site_url,
                                       std::string_view route) {
  OutboundRequest request;
  request.method = method;
  request.url.reserve(site_url.size() + route.size() + 10);
  request.url.append(site_url).append("/wp-json/").append(route);
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

OutboundRequest rest_request(bhttp::verb method, const SiteCredentials& site,
                             std::string_view route, std::string json_body) {
  OutboundRequest request = anonymous_rest_request(method, site.url, route);
  std::string authorization("Basic ");
  authorization.append(base64_encode(site.username + ":" + site.application_password));
  request.headers.emplace_back("Authorization", std::move(authorization));
  if (!json_body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(json_body);
  }
  return request;
}

std::string error_code(const OutboundResponse& response) {
  return body_member(response, "code");
}

std::string describe_error(const OutboundResponse& response) {
  std::string detail = "HTTP " + std::to_string(response.status);
  auto location = response.headers.find(bhttp::field::location);
  if (response.status / 100 == 3 && location != response.headers.end()) {
    detail.append(" redirect to ").append(location->value());
    detail.append(" (not followed: register the site with its final URL)");
    return detail;
  }
  if (std::string code = error_code(response); !code.empty()) detail.append(" ").append(code);
  if (std::string message = body_member(response, "message"); !message.empty())
    detail.append(": ").append(message);
  return detail;
}

std::string describe_failure(const OutboundFailure& failure) {
  std::string detail(to_string(failure.kind));
  detail.append(": ").append(failure.message);
  return detail;
}

}  // namespace seoagents::wordpress
