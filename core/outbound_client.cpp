// One outbound HTTP/1.1 exchange as a chain of phases (check the URL, resolve, vet the addresses,
// connect, TLS handshake, write, read), each turning its error into an OutboundFailure.
#include "core/outbound_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>

#include "core/url_guard.hpp"

namespace seoagents {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Kind = OutboundFailure::Kind;
using Result = Expected<OutboundResponse, OutboundFailure>;
using Endpoints = std::vector<tcp::endpoint>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
// Response headers beyond this fail with too_large (Beast's default of 8 KiB is too tight for
// sites that send many cookies and links).
constexpr std::uint32_t kMaxResponseHeaderBytes = 64 * 1024;
// Interim (1xx) responses skipped before the final one, at most.
constexpr int kMaxInterimResponses = 8;

Unexpected<OutboundFailure> fail(Kind kind, std::string message) {
  return unexpected(OutboundFailure{kind, std::move(message)});
}

std::string milliseconds_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + " ms";
}

// RFC 9110 token characters: what a header name may be made of.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A header value may hold anything but CR, LF and NUL (no header injection).
bool is_safe_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// What is wrong with the caller's method or headers, if anything.
std::optional<std::string> request_issue(const OutboundRequest& request) {
  if (request.method == bhttp::verb::unknown || request.method == bhttp::verb::connect)
    return std::string("request method is not supported");
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char))
      return "request header name \"" + name + "\" is not a valid token";
    if (!is_safe_header_value(value))
      return "request header " + name + " contains CR, LF or NUL characters";
  }
  return std::nullopt;
}

// Headers the client sets itself; the caller's values for them are dropped.
bool is_owned_header(std::string_view name) {
  switch (bhttp::string_to_field(name)) {
    case bhttp::field::host:
    case bhttp::field::content_length:
    case bhttp::field::transfer_encoding:
    case bhttp::field::connection:
      return true;
    default:
      return false;
  }
}

bhttp::request<bhttp::string_body> build_request(OutboundRequest& request, const OutboundUrl& url) {
  bhttp::request<bhttp::string_body> message{request.method, url.target, 11};
  for (const auto& [name, value] : request.headers) {
    if (!is_owned_header(name)) message.insert(name, value);
  }
  message.set(bhttp::field::host, host_header_value(url));
  if (message.find(bhttp::field::user_agent) == message.end())
    message.set(bhttp::field::user_agent, "seoagents/" SEOAGENTS_VERSION);
  message.set(bhttp::field::connection, "close");
  bool has_payload_semantics = request.method == bhttp::verb::post ||
                               request.method == bhttp::verb::put ||
                               request.method == bhttp::verb::patch;
  if (!request.body.empty() || has_payload_semantics) message.content_length(request.body.size());
  message.body() = std::move(request.body);
  return message;
}

// Races a DNS lookup against a deadline: completes with the lookup's result, or with
// beast::error::timeout once the deadline passes (the lookup then finishes unobserved, since a
// getaddrinfo in progress cannot be interrupted). Both racers run on one strand, so this is safe
// on a multi-threaded executor too.
template <class CompletionToken>
auto async_resolve_until(asio::any_io_executor executor, std::string host, std::string service,
                         Clock::time_point deadline, CompletionToken&& token) {
  using Signature = void(error_code, tcp::resolver::results_type);
  auto initiate = [](auto handler, asio::any_io_executor executor, std::string host,
                     std::string service, Clock::time_point deadline) {
    using Handler = decltype(handler);
    // Shared by the lookup's and the timer's handlers; the first to finish completes.
    struct Race {
      Race(const asio::any_io_executor& executor, Handler h)
          : strand(asio::make_strand(executor)),
            resolver(executor),
            timer(executor),
            handler(std::move(h)) {}
      void finish(error_code ec, tcp::resolver::results_type results) {
        if (!handler) return;
        Handler h = std::move(*handler);
        handler.reset();
        timer.cancel();
        std::move(h)(ec, std::move(results));
      }
      asio::strand<asio::any_io_executor> strand;
      tcp::resolver resolver;
      asio::steady_timer timer;
      std::optional<Handler> handler;
    };
    auto race = std::make_shared<Race>(executor, std::move(handler));
    race->timer.expires_at(deadline);
    race->timer.async_wait(asio::bind_executor(race->strand, [race](error_code ec) {
      if (!ec) race->finish(beast::error::timeout, {});
    }));
    race->resolver.async_resolve(
        host, service, tcp::resolver::numeric_service | tcp::resolver::address_configured,
        asio::bind_executor(race->strand,
                            [race](error_code ec, tcp::resolver::results_type results) {
                              race->finish(ec, std::move(results));
                            }));
  };
  return asio::async_initiate<CompletionToken, Signature>(
      initiate, token, std::move(executor), std::move(host), std::move(service), deadline);
}

// The addresses to connect to: the literal itself, or what the host name resolves to.
asio::awaitable<Expected<Endpoints, OutboundFailure>> resolve(const OutboundUrl& url,
                                                              Clock::time_point deadline,
                                                              std::chrono::milliseconds budget) {
  if (auto address = literal_address(url)) co_return Endpoints{tcp::endpoint(*address, url.port)};
  auto executor = co_await asio::this_coro::executor;
  auto [ec, results] = co_await async_resolve_until(executor, url.host, std::to_string(url.port),
                                                    deadline, kAsTuple);
  if (ec == beast::error::timeout) {
    co_return fail(Kind::timeout,
                   "DNS lookup of " + url.host + " timed out after " + milliseconds_text(budget));
  }
  if (ec) co_return fail(Kind::dns, "DNS lookup of " + url.host + " failed: " + ec.message());
  Endpoints endpoints;
  for (const auto& entry : results)
    endpoints.push_back(entry.endpoint());
  if (endpoints.empty())
    co_return fail(Kind::dns, "DNS lookup of " + url.host + " returned no addresses");
  co_return endpoints;
}

// Refuses the target when any of its addresses is not public.
std::optional<OutboundFailure> vet_addresses(const OutboundUrl& url, const Endpoints& endpoints) {
  for (const auto& endpoint : endpoints) {
    if (!is_public_address(endpoint.address())) {
      return OutboundFailure{Kind::unsafe_url,
                             "host " + url.host + " " + refused_address_issue(endpoint.address())};
    }
  }
  return std::nullopt;
}

asio::awaitable<std::optional<OutboundFailure>> connect(beast::tcp_stream& stream,
                                                        const OutboundUrl& url,
                                                        const Endpoints& endpoints,
                                                        Clock::time_point deadline,
                                                        std::chrono::milliseconds budget) {
  stream.expires_at(deadline);
  auto [ec, endpoint] = co_await stream.async_connect(endpoints, kAsTuple);
  if (!ec) {
    stream.socket().set_option(tcp::no_delay(true), ec);
    co_return std::nullopt;
  }
  std::string where = host_and_port(url);
  if (ec == beast::error::timeout)
    co_return OutboundFailure{
        Kind::timeout, "connecting to " + where + " timed out after " + milliseconds_text(budget)};
  if (ec == asio::error::connection_refused)
    co_return OutboundFailure{Kind::connect, "connection to " + where + " refused"};
  co_return OutboundFailure{Kind::connect, "connection to " + where + " failed: " + ec.message()};
}

// "certificate verify failed (self-signed certificate)": the TLS error plus, when the peer's
// certificate was rejected, OpenSSL's reason for rejecting it.
std::string tls_error_text(const error_code& ec, TlsStream& stream) {
  std::string text = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    if (const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value())))
      text = reason;
  }
  long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) text += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
  return text;
}

// asio::ssl::host_name_verification, plus an X509 error when the name does not match, so the
// failure reads "hostname mismatch" rather than "unspecified certificate verification error".
struct HostCheck {
  std::string host;
  bool is_address;

  bool operator()(bool preverified, asio::ssl::verify_context& context) const {
    bool ok = asio::ssl::host_name_verification(host)(preverified, context);
    if (preverified && !ok) {
      X509_STORE_CTX_set_error(context.native_handle(), is_address ? X509_V_ERR_IP_ADDRESS_MISMATCH
                                                                   : X509_V_ERR_HOSTNAME_MISMATCH);
    }
    return ok;
  }
};

asio::awaitable<std::optional<OutboundFailure>> handshake(TlsStream& stream, const OutboundUrl& url,
                                                          Clock::time_point deadline,
                                                          std::chrono::milliseconds budget) {
  std::string where = host_and_port(url);
  bool is_name = !literal_address(url).has_value();
  // SNI carries host names only (RFC 6066).
  if (is_name && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
    co_return OutboundFailure{Kind::tls, "TLS setup for " + where + " failed: cannot set SNI"};
  error_code ec;
  stream.set_verify_mode(asio::ssl::verify_peer, ec);
  if (!ec) stream.set_verify_callback(HostCheck{url.host, !is_name}, ec);
  if (ec)
    co_return OutboundFailure{Kind::tls, "TLS setup for " + where + " failed: " + ec.message()};

  beast::get_lowest_layer(stream).expires_at(deadline);
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kAsTuple);
  if (!handshake_ec) co_return std::nullopt;
  if (handshake_ec == beast::error::timeout)
    co_return OutboundFailure{Kind::timeout, "TLS handshake with " + where + " timed out after " +
                                                 milliseconds_text(budget)};
  co_return OutboundFailure{Kind::tls, "TLS handshake with " + where +
                                           " failed: " + tls_error_text(handshake_ec, stream)};
}

// Maps a failed read of the response to a failure.
OutboundFailure read_failure(const error_code& ec, bool got_bytes, const OutboundUrl& url,
                             const OutboundOptions& options) {
  std::string where = host_and_port(url);
  if (ec == beast::error::timeout)
    return {Kind::timeout, "no complete response from " + where + " within " +
                               milliseconds_text(options.response_timeout)};
  if (ec == bhttp::error::body_limit)
    return {Kind::too_large, "response body from " + where + " exceeds the limit of " +
                                 std::to_string(options.max_response_bytes) + " bytes"};
  if (ec == bhttp::error::header_limit)
    return {Kind::too_large, "response headers from " + where + " exceed " +
                                 std::to_string(kMaxResponseHeaderBytes) + " bytes"};
  bool closed = ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
                ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
                ec == asio::error::connection_reset;
  if (closed && !got_bytes)
    return {Kind::connect, where + " closed the connection without responding"};
  if (closed)
    return {Kind::protocol, where + " closed the connection in the middle of the response"};
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
    return {Kind::protocol, "invalid HTTP response from " + where + ": " + ec.message()};
  return {Kind::connect,
          "connection to " + where + " failed while reading the response: " + ec.message()};
}

// Reads the final response (skipping any 1xx) into `out`.
template <class Stream>
asio::awaitable<std::optional<OutboundFailure>> read_response(Stream& stream, bool head,
                                                              const OutboundUrl& url,
                                                              const OutboundOptions& options,
                                                              OutboundResponse& out) {
  beast::flat_buffer buffer;
  for (int interim = 0;; ++interim) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(options.max_response_bytes);
    parser.skip(head);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
    // Over TLS, a body delimited by the end of the connection often ends without close_notify.
    if (ec == asio::ssl::error::stream_truncated && parser.is_header_done() && parser.need_eof()) {
      parser.put_eof(ec);
    }
    if (ec) co_return read_failure(ec, parser.got_some() || interim > 0, url, options);
    unsigned status = parser.get().result_int();
    if (status >= 100 && status < 200 && status != 101 && interim < kMaxInterimResponses) continue;
    bhttp::response<bhttp::string_body> message = parser.release();
    out.status = status;
    out.body = std::move(message.body());
    out.headers = std::move(static_cast<bhttp::fields&>(message));
    co_return std::nullopt;
  }
}

// Writes the request and reads the response under one deadline.
template <class Stream>
asio::awaitable<std::optional<OutboundFailure>> exchange(
    Stream& stream, const bhttp::request<bhttp::string_body>& message, const OutboundUrl& url,
    const OutboundOptions& options, OutboundResponse& out) {
  beast::get_lowest_layer(stream).expires_after(options.response_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, message, kAsTuple);
  if (ec == beast::error::timeout) {
    co_return OutboundFailure{Kind::timeout, "sending the request to " + host_and_port(url) +
                                                 " timed out after " +
                                                 milliseconds_text(options.response_timeout)};
  }
  if (ec) {
    co_return OutboundFailure{
        Kind::connect, "sending the request to " + host_and_port(url) + " failed: " + ec.message()};
  }
  co_return co_await read_response(stream, message.method() == bhttp::verb::head, url, options,
                                   out);
}

}  // namespace

std::string_view to_string(OutboundFailure::Kind kind) {
  switch (kind) {
    case Kind::invalid_url:
      return "invalid_url";
    case Kind::unsafe_url:
      return "unsafe_url";
    case Kind::dns:
      return "dns";
    case Kind::connect:
      return "connect";
    case Kind::tls:
      return "tls";
    case Kind::timeout:
      return "timeout";
    case Kind::too_large:
      return "too_large";
    case Kind::protocol:
      return "protocol";
  }
  return "unknown";
}

OutboundClient::OutboundClient(OutboundOptions options)
    : options_(std::move(options)), tls_(asio::ssl::context::tls_client) {
  tls_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  tls_.set_verify_mode(asio::ssl::verify_peer);
  error_code ec;
  tls_.set_default_verify_paths(ec);
  if (ec) tls_setup_error_ = "cannot load the system CA certificates: " + ec.message();
  if (!options_.ca_file.empty()) {
    tls_.load_verify_file(options_.ca_file, ec);
    if (ec) tls_setup_error_ = "cannot load CA file " + options_.ca_file + ": " + ec.message();
  }
}

asio::awaitable<Result> OutboundClient::send(OutboundRequest request) {
  const Clock::time_point start = Clock::now();
  auto url = parse_outbound_url(request.url);
  if (!url) co_return fail(Kind::invalid_url, "URL " + url.error());
  if (auto issue = request_issue(request)) co_return fail(Kind::invalid_url, std::move(*issue));
  if (url->tls && !tls_setup_error_.empty()) co_return fail(Kind::tls, tls_setup_error_);

  const Clock::time_point connect_deadline = start + options_.connect_timeout;
  auto endpoints = co_await resolve(*url, connect_deadline, options_.connect_timeout);
  if (!endpoints) co_return unexpected(endpoints.error());
  if (!options_.allow_private_targets) {
    if (auto refused = vet_addresses(*url, *endpoints)) co_return unexpected(std::move(*refused));
  }

  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream tcp_stream(executor);
  if (auto failure = co_await connect(tcp_stream, *url, *endpoints, connect_deadline,
                                      options_.connect_timeout)) {
    co_return unexpected(std::move(*failure));
  }

  auto message = build_request(request, *url);
  OutboundResponse response;
  std::optional<OutboundFailure> failure;
  if (url->tls) {
    TlsStream tls_stream(std::move(tcp_stream), tls_);
    failure = co_await handshake(tls_stream, *url, connect_deadline, options_.connect_timeout);
    if (!failure) failure = co_await exchange(tls_stream, message, *url, options_, response);
  } else {
    failure = co_await exchange(tcp_stream, message, *url, options_, response);
  }
  if (failure) co_return unexpected(std::move(*failure));
  response.latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  co_return response;
}

}  // namespace seoagents
