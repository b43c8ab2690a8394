// Connecting, TLS and response parsing (see transport.hpp).
#include "tools/loadgen/transport.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <stdexcept>

namespace seoagents::loadgen {
namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Headers bigger than this are a parse error (the server's are small).
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

void disable_delay(PlainStream& stream) {
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);
}

}  // namespace

Endpoint resolve_endpoint(const Url& url, std::chrono::steady_clock::duration timeout) {
  asio::io_context context;
  tcp::resolver resolver(context);
  boost::system::error_code ec;
  auto results = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve " + url.host + ": " + ec.message());
  }
  Endpoint endpoint;
  for (const auto& entry : results)
    endpoint.addresses.push_back(entry.endpoint());
  endpoint.host = url.host;
  endpoint.tls = url.tls();
  endpoint.timeout = timeout;
  return endpoint;
}

asio::ssl::context make_tls_context(bool verify) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  if (verify) {
    context.set_default_verify_paths();
    context.set_verify_mode(asio::ssl::verify_peer);
  } else {
    context.set_verify_mode(asio::ssl::verify_none);
  }
  return context;
}

asio::awaitable<ErrorKind> open_stream(PlainStream& stream, const Endpoint& endpoint) {
  stream.expires_after(endpoint.timeout);
  auto [ec, connected] = co_await stream.async_connect(endpoint.addresses, kUseTuple);
  if (ec) co_return ec == beast::error::timeout ? ErrorKind::timeout : ErrorKind::connect;
  disable_delay(stream);
  stream.expires_never();
  co_return ErrorKind::none;
}

asio::awaitable<ErrorKind> open_stream(TlsStream& stream, const Endpoint& endpoint) {
  ErrorKind connected = co_await open_stream(beast::get_lowest_layer(stream), endpoint);
  if (connected != ErrorKind::none) co_return connected;
  if (!SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str())) {
    co_return ErrorKind::tls;
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  beast::get_lowest_layer(stream).expires_after(endpoint.timeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kUseTuple);
  beast::get_lowest_layer(stream).expires_never();
  if (ec) co_return ec == beast::error::timeout ? ErrorKind::timeout : ErrorKind::tls;
  co_return ErrorKind::none;
}

ErrorKind classify(const boost::system::error_code& ec, ErrorKind operation) {
  if (ec == beast::error::timeout) return ErrorKind::timeout;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return ErrorKind::parse;
  }
  return operation;
}

ResponseReader::ResponseReader(std::string* body) : body_(body) {
  header_limit(kHeaderLimit);
  body_limit(boost::none);
  if (body_ != nullptr) body_->clear();
}

std::size_t ResponseReader::on_body_impl(beast::string_view data, beast::error_code&) {
  if (body_ != nullptr) body_->append(data.data(), data.size());
  return data.size();
}

std::size_t ResponseReader::on_chunk_body_impl(std::uint64_t, beast::string_view data,
                                               beast::error_code&) {
  if (body_ != nullptr) body_->append(data.data(), data.size());
  return data.size();
}

}  // namespace seoagents::loadgen
