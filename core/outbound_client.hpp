// The HTTP/1.1 client for every request the server makes itself (WordPress, webhooks, LLMs): a
// coroutine on the caller's loop, behind the SSRF guard, with deadlines and a response size cap.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"

namespace seoagents {

namespace asio = boost::asio;

struct OutboundRequest {
  // The request method.
  boost::beast::http::verb method = boost::beast::http::verb::get;
  // An absolute http(s) URL; checked by parse_outbound_url.
  std::string url;
  // Extra headers, sent in this order. Host, Content-Length, Transfer-Encoding and Connection
  // are the client's own: values given here for them are dropped. User-Agent defaults to
  // "seoagents/<version>" unless given.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body; Content-Length is set when it is not empty (and for POST, PUT and PATCH always).
  std::string body;
};

struct OutboundOptions {
  // Bounds getting connected: DNS lookup, TCP connect and the TLS handshake together.
  std::chrono::milliseconds connect_timeout{5000};
  // Bounds writing the request and reading the whole response.
  std::chrono::milliseconds response_timeout{30000};
  // Largest response body accepted; more fails with too_large.
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  // Lets requests reach private and loopback addresses (tests, local development only).
  bool allow_private_targets = false;
  // A PEM file of extra trusted CAs (tests); empty means the system CAs only.
  std::string ca_file;
};

struct OutboundResponse {
  // The status code; a 3xx is returned as it is (redirects are never followed).
  unsigned status = 0;
  // Every response header.
  boost::beast::http::fields headers;
  // The whole body (nothing for a HEAD request).
  std::string body;
  // From the start of send() (DNS included) to the end of the response.
  std::chrono::milliseconds latency{0};
};

struct OutboundFailure {
  enum class Kind {
    invalid_url,  // the URL (or a request header) is malformed
    unsafe_url,   // the target is a private, loopback or otherwise non-public address
    dns,          // the host name did not resolve
    connect,      // no connection could be made
    tls,          // the TLS handshake failed (certificate, protocol, CA file)
    timeout,      // a deadline passed (connecting, or waiting for the response)
    too_large,    // the response exceeded max_response_bytes (or its headers 64 KiB)
    protocol      // the peer's answer was not a valid HTTP/1.1 response
  };
  // What went wrong, in broad terms.
  Kind kind = Kind::protocol;
  // One sentence a person can act on, e.g. "connection to 127.0.0.1:9 refused".
  std::string message;
};

// "invalid_url", "unsafe_url", "dns", …
std::string_view to_string(OutboundFailure::Kind kind);

// Sends one request per connection (Connection: close). Safe to use from several loop threads at
// once: it holds only its options and a TLS context that is read-only after construction. The
// client must outlive every send() in progress.
class OutboundClient {
 public:
  explicit OutboundClient(OutboundOptions options);
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  // Resolves the URL's host on the caller's executor, refuses it when any address it resolves
  // to is not public (unless allow_private_targets), connects only to the addresses checked,
  // sends the request and reads the response. Every failure is returned, none thrown (short of
  // std::bad_alloc). Redirects are returned, never followed.
  asio::awaitable<Expected<OutboundResponse, OutboundFailure>> send(OutboundRequest request);

 private:
  OutboundOptions options_;
  // Client TLS context: TLS 1.2+, peer verification against the system CAs plus ca_file.
  asio::ssl::context tls_;
  // Why the TLS context could not be set up ("" when it could); https requests fail with it.
  std::string tls_setup_error_;
};

}  // namespace seoagents
