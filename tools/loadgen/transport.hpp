// The connection plumbing shared by the HTTP and WebSocket modes: where to connect (resolved
// once), plain or TLS streams opened with one call, a response parser that keeps no headers
// (nothing allocated per answer), and the error kind of a failed operation.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/stats.hpp"

namespace seoagents::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Where a URL points, resolved once before the run.
struct Endpoint {
  std::vector<tcp::endpoint> addresses;
  // For SNI and certificate verification.
  std::string host;
  bool tls = false;
  std::chrono::steady_clock::duration timeout = std::chrono::seconds(10);
};

// Resolves `url`'s host; throws std::runtime_error naming it when that fails.
Endpoint resolve_endpoint(const Url& url, std::chrono::steady_clock::duration timeout);

// A TLS client context: verifying the server's certificate against the system's CAs, or not.
asio::ssl::context make_tls_context(bool verify);

// Connects (and for TLS completes the handshake); ErrorKind::none on success.
asio::awaitable<ErrorKind> open_stream(PlainStream& stream, const Endpoint& endpoint);
asio::awaitable<ErrorKind> open_stream(TlsStream& stream, const Endpoint& endpoint);

// The error kind of a failed read or write (timeout, parse, or the operation's own kind).
ErrorKind classify(const boost::system::error_code& ec, ErrorKind operation);

// Parses one HTTP response, remembering its status and (when asked) its body in a string the
// caller reuses; header fields are not stored. One per answer (cheap: no allocation).
class ResponseReader : public bhttp::basic_parser<false> {
 public:
  // `body` (may be null) receives the body; it is cleared first.
  explicit ResponseReader(std::string* body);

  int status() const { return status_; }

 private:
  void on_request_impl(bhttp::verb, beast::string_view, beast::string_view, int,
                       beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    status_ = code;
  }
  void on_field_impl(bhttp::field, beast::string_view, beast::string_view,
                     beast::error_code&) override {}
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, beast::error_code&) override {}
  std::size_t on_body_impl(beast::string_view data, beast::error_code&) override;
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view data,
                                 beast::error_code&) override;
  void on_finish_impl(beast::error_code&) override {}

  std::string* body_;
  int status_ = 0;
};

}  // namespace seoagents::loadgen
