// Parsing of outbound URLs with Boost.URL, and the table of IPv4 and IPv6 ranges that are not
// on the public internet.
#include "core/url_guard.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

namespace seoagents {
namespace {

namespace ip = boost::asio::ip;
namespace urls = boost::urls;

// DNS limits (RFC 1035): a whole name and one label.
constexpr std::size_t kMaxHostNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::string_view kHostIssue = "host is not a valid host name or IP address";
constexpr std::string_view kPortIssue = "port must be a number between 1 and 65535";

// An IPv4 range as a network and a prefix length.
struct Ipv4Range {
  std::uint32_t network;
  int prefix;
};

constexpr std::uint32_t ipv4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// Every IPv4 range that is not publicly routable (RFC 6890 and friends).
constexpr std::array<Ipv4Range, 16> kNonPublicIpv4{{
    {ipv4(0, 0, 0, 0), 8},          // "this network"
    {ipv4(10, 0, 0, 0), 8},         // private
    {ipv4(100, 64, 0, 0), 10},      // carrier-grade NAT
    {ipv4(127, 0, 0, 0), 8},        // loopback
    {ipv4(169, 254, 0, 0), 16},     // link-local (cloud metadata lives here)
    {ipv4(172, 16, 0, 0), 12},      // private
    {ipv4(192, 0, 0, 0), 24},       // IETF protocol assignments
    {ipv4(192, 0, 2, 0), 24},       // documentation TEST-NET-1
    {ipv4(192, 88, 99, 0), 24},     // 6to4 relay anycast
    {ipv4(192, 168, 0, 0), 16},     // private
    {ipv4(198, 18, 0, 0), 15},      // benchmarking
    {ipv4(198, 51, 100, 0), 24},    // documentation TEST-NET-2
    {ipv4(203, 0, 113, 0), 24},     // documentation TEST-NET-3
    {ipv4(224, 0, 0, 0), 4},        // multicast
    {ipv4(240, 0, 0, 0), 4},        // reserved
    {ipv4(255, 255, 255, 255), 32}  // limited broadcast (inside 240/4; listed for clarity)
}};

bool in_range(std::uint32_t value, Ipv4Range range) {
  std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
  return (value & mask) == (range.network & mask);
}

bool is_public_ipv4(std::uint32_t value) {
  return std::none_of(kNonPublicIpv4.begin(), kNonPublicIpv4.end(),
                      [value](Ipv4Range range) { return in_range(value, range); });
}

using Ipv6Bytes = ip::address_v6::bytes_type;

// True when bytes [first, last) of `bytes` are all `value`.
bool all_equal(const Ipv6Bytes& bytes, std::size_t first, std::size_t last, unsigned char value) {
  return std::all_of(bytes.begin() + first, bytes.begin() + last,
                     [value](unsigned char b) { return b == value; });
}

// The IPv4 address held in bytes [offset, offset + 4).
std::uint32_t embedded_ipv4(const Ipv6Bytes& bytes, std::size_t offset) {
  return ipv4(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

// The IPv4 address an IPv6 address carries in its last 32 bits, when it is one of the forms
// that do (::/96 compatible, ::ffff:0:0/96 mapped, ::ffff:0:0:0/96 translated).
std::optional<std::uint32_t> ipv4_in_low_bits(const Ipv6Bytes& b) {
  bool compatible = all_equal(b, 0, 12, 0);
  bool mapped = all_equal(b, 0, 10, 0) && b[10] == 0xff && b[11] == 0xff;
  bool translated =
      all_equal(b, 0, 8, 0) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0;
  if (compatible || mapped || translated) return embedded_ipv4(b, 12);
  return std::nullopt;
}

bool is_public_ipv6(const Ipv6Bytes& b) {
  // ::, ::1 and every other ::/96 address fall in 0.0.0.0/8 or are checked as IPv4.
  if (auto v4 = ipv4_in_low_bits(b)) return is_public_ipv4(*v4);
  // 6to4 (2002::/16) tunnels to the IPv4 address in bits 16..47.
  if (b[0] == 0x20 && b[1] == 0x02) return is_public_ipv4(embedded_ipv4(b, 2));
  bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
  if (nat64 && all_equal(b, 4, 12, 0)) return false;        // 64:ff9b::/96
  if (nat64 && b[4] == 0x00 && b[5] == 0x01) return false;  // 64:ff9b:1::/48 (local use)
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local
  if (b[0] == 0xff) return false;                           // ff00::/8 multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;  // 2001:db8::/32
  if (b[0] == 0x01 && b[1] == 0x00 && all_equal(b, 2, 8, 0)) return false;  // 100::/64 discard
  return true;
}

bool is_dns_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Checks a lowercased host name: DNS labels of letters, digits, '-' and '_', and a last label
// that is not all digits (so "127.1" or "2130706433" never reach the resolver as names).
std::optional<std::string> host_name_issue(std::string_view name) {
  if (name.size() > kMaxHostNameLength) return "host name is longer than 253 characters";
  std::string_view last_label;
  while (true) {
    std::size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.size() > kMaxLabelLength ||
        !std::all_of(label.begin(), label.end(), is_dns_label_char)) {
      return std::string(kHostIssue);
    }
    last_label = label;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  if (std::all_of(last_label.begin(), last_label.end(),
                  [](char c) { return c >= '0' && c <= '9'; }))
    return std::string(kHostIssue);
  return std::nullopt;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The URL's host in canonical form, or the issue with it.
Expected<std::string, std::string> canonical_host(const urls::url_view& url) {
  switch (url.host_type()) {
    case urls::host_type::ipv4:
      return ip::make_address_v4(url.host_ipv4_address().to_bytes()).to_string();
    case urls::host_type::ipv6:
      return ip::make_address_v6(url.host_ipv6_address().to_bytes()).to_string();
    case urls::host_type::name: {
      std::string_view encoded = url.encoded_host_name();
      if (encoded.empty()) return unexpected(std::string("must have a host"));
      if (encoded.find('%') != std::string_view::npos)
        return unexpected(std::string("host must not be percent-encoded"));
      std::string name = lowercase(encoded);
      if (name.size() > 1 && name.back() == '.') name.pop_back();  // fully qualified form
      if (auto issue = host_name_issue(name)) return unexpected(std::move(*issue));
      return name;
    }
    case urls::host_type::none:
      return unexpected(std::string("must have a host"));
    default:
      return unexpected(std::string(kHostIssue));
  }
}

// The URL's port (its scheme's default when absent or empty), or the issue with it.
Expected<std::uint16_t, std::string> port_of(const urls::url_view& url, bool tls) {
  std::string_view text;
  if (url.has_port()) text = url.port();
  if (text.empty()) return static_cast<std::uint16_t>(tls ? 443 : 80);
  unsigned long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || value > 65535) return unexpected(std::string(kPortIssue));
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0 || value > 65535) return unexpected(std::string(kPortIssue));
  return static_cast<std::uint16_t>(value);
}

// Printable ASCII only: no space, control or non-ASCII byte.
bool is_plain_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f;
  });
}

// What is wrong with the URL's text as a whole, before it is parsed.
std::optional<std::string> text_issue(std::string_view text) {
  if (text.empty()) return "must not be empty";
  if (text.size() > kMaxOutboundUrlLength) return "must be at most 2048 characters long";
  if (!is_plain_ascii(text))
    return "must not contain spaces, control characters or non-ASCII characters";
  // Absolute URIs have no fragment, so Boost.URL would refuse one without saying why.
  if (text.find('#') != std::string_view::npos) return "must not contain a fragment";
  return std::nullopt;
}

// What is wrong with the authority of a parsed http(s) URL.
std::optional<std::string> authority_issue(const urls::url_view& url) {
  if (!url.has_authority()) return "must have a host";
  // Boost.URL 1.81 ends the host or port at the first character that does not fit and takes
  // the rest as a path ("http://a.com:80x/" is port 80 and path "x/", "http://1.2.3.4.5/" is
  // host 1.2.3.4 and path ".5/"). After an authority the path must begin with '/'.
  std::string_view path = url.encoded_path();
  if (!path.empty() && path.front() != '/')
    return std::string(url.has_port() ? kPortIssue : kHostIssue);
  if (url.has_userinfo()) return "must not contain user credentials";
  return std::nullopt;
}

// The host as it appears in a URL or a Host header: IPv6 literals in brackets.
std::string bracketed_host(const OutboundUrl& url) {
  return url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
}

// "localhost" and every name under it are loopback by definition (RFC 6761 §6.3), whether or
// not the resolver here knows them.
bool is_localhost_name(std::string_view host) {
  return host == "localhost" || host.ends_with(".localhost");
}

}  // namespace

Expected<OutboundUrl, std::string> parse_outbound_url(std::string_view text) {
  if (auto issue = text_issue(text)) return unexpected(std::move(*issue));
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) return unexpected(std::string("must be an absolute http or https URL"));
  const urls::url_view& url = *parsed;
  bool tls = url.scheme_id() == urls::scheme::https;
  if (!tls && url.scheme_id() != urls::scheme::http)
    return unexpected(std::string("must use http or https"));
  if (auto issue = authority_issue(url)) return unexpected(std::move(*issue));
  auto host = canonical_host(url);
  if (!host) return unexpected(host.error());
  auto port = port_of(url, tls);
  if (!port) return unexpected(port.error());

  OutboundUrl out;
  out.scheme = tls ? "https" : "http";
  out.host = std::move(*host);
  out.port = *port;
  out.target = url.encoded_path().empty() ? std::string("/") : std::string(url.encoded_path());
  if (url.has_query()) out.target.append("?").append(url.encoded_query());
  out.tls = tls;
  return out;
}

std::optional<ip::address> literal_address(const OutboundUrl& url) {
  boost::system::error_code ec;
  ip::address address = ip::make_address(url.host, ec);
  if (ec) return std::nullopt;
  return address;
}

std::string host_header_value(const OutboundUrl& url) {
  std::uint16_t default_port = url.tls ? 443 : 80;
  return url.port == default_port ? bracketed_host(url) : host_and_port(url);
}

std::string host_and_port(const OutboundUrl& url) {
  return bracketed_host(url) + ":" + std::to_string(url.port);
}

bool is_public_address(const ip::address& address) {
  if (address.is_v4()) return is_public_ipv4(address.to_v4().to_uint());
  return is_public_ipv6(address.to_v6().to_bytes());
}

std::string refused_address_issue(const ip::address& address) {
  return "resolves to a private or loopback address (" + address.to_string() +
         "); such targets are refused";
}

boost::asio::awaitable<std::optional<std::string>> refused_target_issue(std::string url,
                                                                        bool allow_private) {
  if (allow_private) co_return std::nullopt;
  auto parsed = parse_outbound_url(url);
  if (!parsed) co_return parsed.error();
  if (auto address = literal_address(*parsed)) {
    if (!is_public_address(*address)) co_return refused_address_issue(*address);
    co_return std::nullopt;
  }
  if (is_localhost_name(parsed->host)) co_return refused_address_issue(ip::address_v4::loopback());
  ip::tcp::resolver resolver(co_await boost::asio::this_coro::executor);
  auto [ec, results] =
      co_await resolver.async_resolve(parsed->host, std::to_string(parsed->port),
                                      boost::asio::as_tuple(boost::asio::use_awaitable));
  if (ec) co_return std::nullopt;
  for (const auto& entry : results) {
    auto address = entry.endpoint().address();
    if (!is_public_address(address)) co_return refused_address_issue(address);
  }
  co_return std::nullopt;
}

}  // namespace seoagents
