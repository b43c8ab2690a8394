// What every call to a WordPress site's REST API shares: the site's address and credentials,
// requests under {url}/wp-json/ with HTTP Basic auth (an application password), and errors
// described for people ("HTTP 401 incorrect_password: …"). Used by site verification, the
// publish and the audit pipelines.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <string>
#include <string_view>

#include "core/outbound_client.hpp"

namespace seoagents::wordpress {

// A site as the REST calls need it.
struct SiteCredentials {
  // The site's stored URL (no trailing slash), e.g. "https://blog.example.com".
  std::string url;
  std::string username;
  // The application password, opened from its sealed form.
  std::string application_password;
};

// A request to {site.url}/wp-json/{route} (route without its leading slash, e.g.
// "wp/v2/posts?per_page=10"), with `Authorization: Basic …` and, when `json_body` is not empty,
// that body as `application/json`.
OutboundRequest rest_request(boost::beast::http::verb method, const SiteCredentials& site,
                             std::string_view route, std::string json_body = {});

// The same without credentials (the REST index, public reads).
OutboundRequest anonymous_rest_request(boost::beast::http::verb method, std::string_view site_url,
                                       std::string_view route);

// "HTTP 404 rest_no_route: No route was found…": the status, and the `code` and `message` of a
// WordPress error body when it has them; for a 3xx, where it points (redirects are never
// followed).
std::string describe_error(const OutboundResponse& response);

// The `code` of a WordPress error body ("rest_cannot_create"), or empty.
std::string error_code(const OutboundResponse& response);

// "connect: connection to 127.0.0.1:9 refused".
std::string describe_failure(const OutboundFailure& failure);

}  // namespace seoagents::wordpress
