// The SSRF guard for every URL the server itself fetches (WordPress sites, webhooks, LLM base
// URLs): which URLs are acceptable at all, and which resolved addresses may be connected to.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace seoagents {

// URLs longer than this are refused.
inline constexpr std::size_t kMaxOutboundUrlLength = 2048;

// An http(s) URL taken apart into what a request needs.
struct OutboundUrl {
  // "http" or "https", lowercase.
  std::string scheme;
  // Lowercase host name, or an IP literal in canonical form (IPv6 without brackets).
  std::string host;
  // The explicit port, or 80 / 443 by scheme.
  std::uint16_t port = 0;
  // Path and query as they appear in the URL ("/" when the path is empty); never a fragment.
  std::string target;
  // True for https.
  bool tls = false;
};

// Parses an absolute http or https URL. Refuses user credentials, fragments, an empty or
// non-DNS host, port 0 or beyond 65535, spaces, control and non-ASCII characters, and URLs over
// kMaxOutboundUrlLength. The error is an issue for an API `details` entry ("must use http or
// https").
Expected<OutboundUrl, std::string> parse_outbound_url(std::string_view url);

// The host as an address when it is an IP literal; nullopt for a name.
std::optional<boost::asio::ip::address> literal_address(const OutboundUrl& url);

// The Host header value: the host (IPv6 in brackets) plus ":port" unless it is the scheme's
// default.
std::string host_header_value(const OutboundUrl& url);

// "host:port" for messages, IPv6 in brackets.
std::string host_and_port(const OutboundUrl& url);

// False for addresses that are not on the public internet: loopback, private, link-local,
// CGNAT, documentation, benchmarking, multicast, reserved and unspecified ranges, and IPv6
// forms that embed such an IPv4 address (mapped, compatible, translated, 6to4) or NAT64 ones.
bool is_public_address(const boost::asio::ip::address& address);

// The issue for a refused address: "resolves to a private or loopback address (127.0.0.1); such
// targets are refused".
std::string refused_address_issue(const boost::asio::ip::address& address);

// Why `url` is refused as a target when it is registered (a site, a webhook): not a valid
// outbound URL, or its host is, or resolves to, a non-public address; nullopt when it is
// acceptable, when `allow_private`, or when the name does not resolve now (every request checks
// its addresses again before connecting). The issue is worded for an API `details` entry.
boost::asio::awaitable<std::optional<std::string>> refused_target_issue(std::string url,
                                                                        bool allow_private);

}  // namespace seoagents
