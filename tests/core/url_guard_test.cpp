// Tests of the SSRF guard: which URLs parse and into what, and which addresses count as public
// (every refused range at its edges, its neighbours outside, and well-known public hosts).
#include "core/url_guard.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seoagents {
namespace {

namespace ip = boost::asio::ip;

bool is_public(const char* text) {
  return is_public_address(ip::make_address(text));
}

OutboundUrl parse_ok(std::string_view text) {
  auto url = parse_outbound_url(text);
  EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error());
  return url ? *url : OutboundUrl{};
}

std::string parse_error(std::string_view text) {
  auto url = parse_outbound_url(text);
  EXPECT_FALSE(url.has_value()) << text << " parsed; host=" << (url ? url->host : "");
  return url ? std::string() : url.error();
}

TEST(UrlGuardParse, PlainHttpGetsDefaults) {
  OutboundUrl url = parse_ok("http://example.com");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/");
  EXPECT_FALSE(url.tls);
}

TEST(UrlGuardParse, HttpsWithPortPathAndQuery) {
  OutboundUrl url =
      parse_ok("HTTPS://Blog.Example.COM:8443/wp-json/wp/v2/posts?status=draft&x=%20");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "blog.example.com");
  EXPECT_EQ(url.port, 8443);
  EXPECT_EQ(url.target, "/wp-json/wp/v2/posts?status=draft&x=%20");
  EXPECT_TRUE(url.tls);
}

TEST(UrlGuardParse, DefaultPortsFollowTheScheme) {
  EXPECT_EQ(parse_ok("https://example.com/").port, 443);
  EXPECT_EQ(parse_ok("http://example.com:/").port, 80);
  EXPECT_EQ(parse_ok("https://example.com:65535/").port, 65535);
  EXPECT_EQ(parse_ok("http://example.com:1/").port, 1);
}

TEST(UrlGuardParse, QueryWithoutPathGetsSlash) {
  EXPECT_EQ(parse_ok("http://example.com?a=1").target, "/?a=1");
  EXPECT_EQ(parse_ok("http://example.com/?").target, "/?");
}

TEST(UrlGuardParse, IpLiteralsAreCanonical) {
  OutboundUrl v4 = parse_ok("http://93.184.216.34:8080/x");
  EXPECT_EQ(v4.host, "93.184.216.34");
  EXPECT_EQ(v4.port, 8080);
  OutboundUrl v6 = parse_ok("https://[2606:4700:0:0:0:0:0:1111]/x");
  EXPECT_EQ(v6.host, "2606:4700::1111");
  EXPECT_EQ(v6.port, 443);
  ASSERT_TRUE(literal_address(v6).has_value());
  EXPECT_EQ(*literal_address(v6), ip::make_address("2606:4700::1111"));
  EXPECT_FALSE(literal_address(parse_ok("http://example.com/")).has_value());
}

TEST(UrlGuardParse, TrailingDotOfAFullyQualifiedNameIsDropped) {
  EXPECT_EQ(parse_ok("http://example.com./").host, "example.com");
}

TEST(UrlGuardParse, HostHeaderAndHostPort) {
  EXPECT_EQ(host_header_value(parse_ok("http://example.com/")), "example.com");
  EXPECT_EQ(host_header_value(parse_ok("https://example.com:443/")), "example.com");
  EXPECT_EQ(host_header_value(parse_ok("http://example.com:443/")), "example.com:443");
  EXPECT_EQ(host_header_value(parse_ok("http://[::1]:8080/")), "[::1]:8080");
  EXPECT_EQ(host_header_value(parse_ok("https://[2001:db8::1]/")), "[2001:db8::1]");
  EXPECT_EQ(host_and_port(parse_ok("https://example.com/")), "example.com:443");
  EXPECT_EQ(host_and_port(parse_ok("http://[::1]/")), "[::1]:80");
}

TEST(UrlGuardParse, LengthLimitIsInclusive) {
  std::string prefix = "http://example.com/";
  std::string at_limit = prefix + std::string(kMaxOutboundUrlLength - prefix.size(), 'a');
  ASSERT_EQ(at_limit.size(), 2048u);
  EXPECT_EQ(parse_ok(at_limit).target.size(), 2048u - 18u);
  EXPECT_EQ(parse_error(at_limit + "a"), "must be at most 2048 characters long");
}

TEST(UrlGuardParse, RefusesOtherSchemesAndRelativeUrls) {
  for (const char* text : {"ftp://example.com/", "file:///etc/passwd", "gopher://example.com/",
                           "ws://example.com/", "javascript:alert(1)", "httpx://example.com"}) {
    EXPECT_EQ(parse_error(text), "must use http or https") << text;
  }
  for (const char* text : {"example.com", "//example.com/", "/path", "://example.com"}) {
    EXPECT_EQ(parse_error(text), "must be an absolute http or https URL") << text;
  }
  EXPECT_EQ(parse_error(""), "must not be empty");
}

TEST(UrlGuardParse, RefusesMissingHosts) {
  for (const char* text : {"http:example.com", "http:/example.com", "http:///path", "http://",
                           "https://:443/", "http://?q"}) {
    EXPECT_EQ(parse_error(text), "must have a host") << text;
  }
}

TEST(UrlGuardParse, RefusesUserinfo) {
  for (const char* text :
       {"http://user:pass@example.com/", "http://user@example.com/", "http://@example.com/",
        "http://:@example.com/", "http://127.0.0.1@example.com/"}) {
    EXPECT_EQ(parse_error(text), "must not contain user credentials") << text;
  }
}

TEST(UrlGuardParse, RefusesFragments) {
  for (const char* text :
       {"http://example.com/#top", "http://example.com#", "http://example.com/?a#b"}) {
    EXPECT_EQ(parse_error(text), "must not contain a fragment") << text;
  }
}

TEST(UrlGuardParse, RefusesSpacesControlsAndNonAscii) {
  const std::string issue = "must not contain spaces, control characters or non-ASCII characters";
  std::vector<std::string> texts = {
      "http://exa mple.com/",    "http://example.com/a b",      " http://example.com/",
      "http://example.com/\t",   "http://example.com/\r\nX: y", std::string("http://e\0x.com/", 15),
      "http://example.com/\x7f", "http://ex\xc3\xa4mple.com/",  "http://example.com/\xff"};
  for (const std::string& text : texts)
    EXPECT_EQ(parse_error(text), issue) << text;
}

TEST(UrlGuardParse, RefusesBadPorts) {
  // Boost.URL alone would read "80a" as port 80 with a path "a/", and "-1" as no port.
  for (const char* text :
       {"http://example.com:0/", "http://example.com:65536/",
        "http://example.com:99999999999999999999999/", "http://example.com:00000/",
        "http://example.com:80a/", "http://example.com:-1/", "http://example.com:80:90/",
        "http://example.com:8x0/p?q", "http://a:b:c/", "http://example.com:+80/"}) {
    EXPECT_EQ(parse_error(text), "port must be a number between 1 and 65535") << text;
  }
}

TEST(UrlGuardParse, RefusesMalformedHosts) {
  const std::string invalid = "host is not a valid host name or IP address";
  for (const char* text :
       {"http://a..b/", "http://.example.com/", "http://exa!mple.com/", "http://exa$mple.com/",
        "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://10.0.0.010/",
        "http://[v1.fe]/", "http://1.2.3.4.5/", "http://[::1]x/", "http://256.1.1.1/",
        "http://1.2.3/"}) {
    EXPECT_EQ(parse_error(text), invalid) << text;
  }
  std::string long_label = "http://" + std::string(64, 'a') + ".com/";
  EXPECT_EQ(parse_error(long_label), invalid);
  std::string long_name = "http://";
  for (int i = 0; i < 4; ++i)
    long_name += std::string(63, 'a') + ".";
  long_name += "com/";
  EXPECT_EQ(parse_error(long_name), "host name is longer than 253 characters");
  EXPECT_EQ(parse_error("http://exa%6dple.com/"), "host must not be percent-encoded");
  for (const char* text : {"http://[::1/", "http://[fe80::1%25eth0]/", "http://[127.0.0.1]/"}) {
    EXPECT_FALSE(parse_outbound_url(text).has_value()) << text;
  }
}

TEST(UrlGuardParse, AcceptsOrdinaryHostNames) {
  for (const char* text :
       {"http://localhost/", "http://my-site.example.co.uk/", "http://xn--bcher-kva.example/",
        "http://_dmarc.example.com/", "http://1.example.com/", "http://example.123a/"}) {
    EXPECT_TRUE(parse_outbound_url(text).has_value()) << text;
  }
}

// Every IPv4 range the guard refuses, as first, middle and last address.
TEST(UrlGuardAddress, RefusesEveryNonPublicIpv4Range) {
  for (const char* text :
       {"0.0.0.0",         "0.1.2.3",         "0.255.255.255",   "10.0.0.0",
        "10.1.2.3",        "10.255.255.255",  "100.64.0.0",      "100.100.100.100",
        "100.127.255.255", "127.0.0.0",       "127.0.0.1",       "127.255.255.254",
        "169.254.0.0",     "169.254.169.254", "169.254.255.255", "172.16.0.0",
        "172.20.1.1",      "172.31.255.255",  "192.0.0.0",       "192.0.0.170",
        "192.0.0.255",     "192.0.2.0",       "192.0.2.1",       "192.0.2.255",
        "192.88.99.0",     "192.88.99.1",     "192.88.99.255",   "192.168.0.0",
        "192.168.1.1",     "192.168.255.255", "198.18.0.0",      "198.19.255.255",
        "198.51.100.0",    "198.51.100.7",    "198.51.100.255",  "203.0.113.0",
        "203.0.113.9",     "203.0.113.255",   "224.0.0.0",       "224.0.0.251",
        "239.255.255.255", "240.0.0.0",       "250.1.2.3",       "255.255.255.254",
        "255.255.255.255"}) {
    EXPECT_FALSE(is_public(text)) << text;
  }
}

// The neighbours just outside each refused range are public.
TEST(UrlGuardAddress, AcceptsAddressesJustOutsideTheRanges) {
  for (const char* text :
       {"1.0.0.0",         "9.255.255.255",   "11.0.0.0",       "100.63.255.255",
        "100.128.0.0",     "126.255.255.255", "128.0.0.0",      "169.253.255.255",
        "169.255.0.0",     "172.15.255.255",  "172.32.0.0",     "191.255.255.255",
        "192.0.1.0",       "192.0.3.0",       "192.88.98.255",  "192.88.100.0",
        "192.167.255.255", "192.169.0.0",     "198.17.255.255", "198.20.0.0",
        "198.51.99.255",   "198.51.101.0",    "203.0.112.255",  "203.0.114.0",
        "223.255.255.255"}) {
    EXPECT_TRUE(is_public(text)) << text;
  }
}

TEST(UrlGuardAddress, AcceptsWellKnownPublicHosts) {
  for (const char* text : {"8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700::1111",
                           "2001:4860:4860::8888", "2a00:1450:4001:81c::200e"}) {
    EXPECT_TRUE(is_public(text)) << text;
  }
}

TEST(UrlGuardAddress, RefusesEveryNonPublicIpv6Range) {
  for (const char* text : {"::",
                           "::1",
                           "fc00::",
                           "fc00::1",
                           "fd12:3456:789a::1",
                           "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                           "fe80::",
                           "fe80::1",
                           "febf:ffff::1",
                           "fec0::",
                           "fec0::1",
                           "feff:ffff::1",
                           "ff00::",
                           "ff02::1",
                           "ff05::1:3",
                           "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                           "2001:db8::",
                           "2001:db8::1",
                           "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
                           "100::",
                           "100::1",
                           "100::ffff:ffff:ffff:ffff",
                           "64:ff9b::",
                           "64:ff9b::808:808",
                           "64:ff9b::7f00:1",
                           "64:ff9b:1::1"}) {
    EXPECT_FALSE(is_public(text)) << text;
  }
}

TEST(UrlGuardAddress, Ipv6JustOutsideTheRangesIsPublic) {
  for (const char* text : {"fbff:ffff::1", "2001:db7:ffff::1",
                           "2001:db9::", "100:0:0:1::", "64:ff9a::1", "64:ff9b:2::1", "2000::1"}) {
    EXPECT_TRUE(is_public(text)) << text;
  }
}

TEST(UrlGuardAddress, EmbeddedIpv4FollowsTheIpv4Rules) {
  // IPv4-mapped, IPv4-compatible, IPv4-translated and 6to4 forms.
  for (const char* text :
       {"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
        "::ffff:192.168.1.1", "::127.0.0.1", "::10.1.1.1", "::ffff:0:127.0.0.1",
        "::ffff:0:172.16.0.1", "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::"}) {
    EXPECT_FALSE(is_public(text)) << text;
  }
  for (const char* text : {"::ffff:8.8.8.8", "::ffff:93.184.216.34", "::8.8.8.8",
                           "::ffff:0:1.1.1.1", "2002:808:808::1"}) {
    EXPECT_TRUE(is_public(text)) << text;
  }
}

TEST(UrlGuardAddress, RefusalIssueNamesTheAddress) {
  EXPECT_EQ(refused_address_issue(ip::make_address("127.0.0.1")),
            "resolves to a private or loopback address (127.0.0.1); such targets are refused");
  EXPECT_EQ(refused_address_issue(ip::make_address("fe80::1")),
            "resolves to a private or loopback address (fe80::1); such targets are refused");
}

}  // namespace
}  // namespace seoagents
