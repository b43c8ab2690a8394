// Blocking test clients over a private io_context, and self-signed certificates via OpenSSL 3.
#include "tests/support/http_client.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <stdexcept>

namespace seoagents::testing {
namespace {

using asio::ip::tcp;
using boost::system::error_code;

// Responses the tests read are small; this only keeps a runaway response from exhausting memory.
constexpr std::uint64_t kResponseBodyLimit = 64ull * 1024 * 1024;

bool is_closed_error(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated ||
         ec == bhttp::error::end_of_stream;
}

tcp::endpoint loopback(std::uint16_t port) {
  return tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
}

std::string openssl_error(std::string_view what) {
  std::string message(what);
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += ": ";
    message += text;
  }
  ERR_clear_error();
  return message;
}

}  // namespace

ClientRequest make_request(bhttp::verb method, std::string_view target, std::string body,
                           const HeaderList& headers) {
  ClientRequest request{method, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers)
    request.set(name, value);
  request.body() = std::move(body);
  if (!request.body().empty() || method == bhttp::verb::post || method == bhttp::verb::put) {
    request.prepare_payload();
  }
  return request;
}

std::string raw_get_with_filler(std::string_view target, std::size_t filler_bytes) {
  std::string text = "GET ";
  text += target;
  text += " HTTP/1.1\r\nHost: x\r\nX-Fill: ";
  text.append(filler_bytes, 'a');
  text += "\r\n\r\n";
  return text;
}

HttpClient::HttpClient(std::uint16_t port) {
  tcp_.emplace(context_);
  error_code ec = run(
      [&](auto handler) { tcp_->async_connect(loopback(port), std::move(handler)); }, kClientWait);
  if (ec) {
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) +
                             " failed: " + ec.message());
  }
  tcp_->socket().set_option(tcp::no_delay(true), ec);
}

error_code HttpClient::try_connect(std::uint16_t port) {
  asio::io_context context;
  tcp::socket socket(context);
  error_code ec;
  socket.connect(loopback(port), ec);
  return ec;
}

beast::tcp_stream& HttpClient::lowest() {
  if (tls_) return beast::get_lowest_layer(*tls_);
  return *tcp_;
}

template <class Initiate>
error_code HttpClient::run(Initiate&& initiate, std::chrono::milliseconds wait,
                           std::size_t* transferred) {
  if (wait <= std::chrono::milliseconds::zero()) return beast::error::timeout;
  lowest().expires_after(wait);
  error_code result = beast::error::timeout;
  bool done = false;
  initiate([&](error_code ec, auto... n) {
    result = ec;
    done = true;
    if (transferred != nullptr) ((*transferred = static_cast<std::size_t>(n)), ...);
  });
  context_.restart();
  context_.run();
  if (tcp_ || tls_) lowest().expires_never();
  return done ? result : beast::error::timeout;
}

error_code HttpClient::start_tls(asio::ssl::context& context, const std::string& host_name) {
  if (tls_) return asio::error::already_connected;
  tls_.emplace(std::move(*tcp_), context);
  tcp_.reset();
  if (!SSL_set_tlsext_host_name(tls_->native_handle(), host_name.c_str())) {
    return error_code(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
  }
  tls_->set_verify_callback(asio::ssl::host_name_verification(host_name));
  return run(
      [&](auto handler) {
        tls_->async_handshake(asio::ssl::stream_base::client, std::move(handler));
      },
      kClientWait);
}

error_code HttpClient::send(const ClientRequest& request) {
  return run(
      [&](auto handler) {
        if (tls_) {
          bhttp::async_write(*tls_, request, std::move(handler));
        } else {
          bhttp::async_write(*tcp_, request, std::move(handler));
        }
      },
      kClientWait);
}

error_code HttpClient::read_response(ClientResponse& response, bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kResponseBodyLimit);
  parser.skip(head);
  error_code ec = run(
      [&](auto handler) {
        if (tls_) {
          bhttp::async_read(*tls_, buffer_, parser, std::move(handler));
        } else {
          bhttp::async_read(*tcp_, buffer_, parser, std::move(handler));
        }
      },
      kClientWait);
  if (!ec) response = parser.release();
  return ec;
}

ClientResponse HttpClient::read_response(bool head) {
  ClientResponse response;
  if (error_code ec = read_response(response, head)) {
    throw std::runtime_error("reading the response failed: " + ec.message());
  }
  return response;
}

ClientResponse HttpClient::request(const ClientRequest& request) {
  if (error_code ec = send(request)) {
    throw std::runtime_error("sending the request failed: " + ec.message());
  }
  return read_response(request.method() == bhttp::verb::head);
}

ClientResponse HttpClient::request(bhttp::verb method, std::string_view target, std::string body,
                                   const HeaderList& headers) {
  return request(make_request(method, target, std::move(body), headers));
}

error_code HttpClient::write(std::string_view bytes) {
  return run(
      [&](auto handler) {
        if (tls_) {
          asio::async_write(*tls_, asio::buffer(bytes), std::move(handler));
        } else {
          asio::async_write(*tcp_, asio::buffer(bytes), std::move(handler));
        }
      },
      kClientWait);
}

RawResult HttpClient::read_until(std::string_view needle, std::chrono::milliseconds wait) {
  RawResult result;
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::string_view have(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (!needle.empty()) {
      auto at = have.find(needle);
      if (at != std::string_view::npos) {
        result.bytes.assign(have.substr(0, at + needle.size()));
        buffer_.consume(at + needle.size());
        return result;
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    std::size_t n = 0;
    error_code ec = run(
        [&](auto handler) {
          auto space = buffer_.prepare(4096);
          if (tls_) {
            tls_->async_read_some(space, std::move(handler));
          } else {
            tcp_->async_read_some(space, std::move(handler));
          }
        },
        left, &n);
    buffer_.commit(n);
    if (ec) {
      result.closed = is_closed_error(ec);
      result.bytes.assign(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      buffer_.consume(buffer_.size());
      return result;
    }
  }
}

RawResult HttpClient::read_until_closed(std::chrono::milliseconds wait) {
  return read_until({}, wait);
}

void HttpClient::close() {
  error_code ec;
  lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
  lowest().socket().close(ec);
}

RawResult raw_exchange(std::uint16_t port, std::string_view bytes, std::chrono::milliseconds wait) {
  HttpClient client(port);
  error_code ec = client.write(bytes);
  RawResult result = client.read_until_closed(wait);
  if (ec && result.bytes.empty()) result.closed = true;
  return result;
}

std::vector<ClientResponse> parse_responses(std::string_view bytes,
                                            std::initializer_list<std::size_t> head_responses,
                                            std::string* leftover) {
  std::vector<ClientResponse> responses;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kResponseBodyLimit);
    parser.eager(true);
    parser.skip(std::find(head_responses.begin(), head_responses.end(), responses.size()) !=
                head_responses.end());
    std::size_t used = 0;
    error_code ec;
    while (!parser.is_done()) {
      std::size_t n =
          parser.put(asio::buffer(bytes.data() + offset + used, bytes.size() - offset - used), ec);
      used += n;
      if (ec || n == 0) break;
    }
    if (!parser.is_done()) break;
    offset += used;
    responses.push_back(parser.release());
  }
  if (leftover != nullptr) leftover->assign(bytes.substr(offset));
  return responses;
}

std::string body_request_id(const ClientResponse& response) {
  error_code ec;
  boost::json::value body = boost::json::parse(response.body(), ec);
  if (ec || !body.is_object()) return {};
  const boost::json::value* id = body.as_object().if_contains("request_id");
  if (id == nullptr || !id->is_string()) return {};
  return std::string(id->as_string());
}

asio::ssl::context make_client_tls_context(int min_version, int max_version,
                                           const std::string& ca_file) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  SSL_CTX* native = context.native_handle();
  if (max_version != 0 && max_version < TLS1_2_VERSION) {
    // Let the client really offer old protocols, so a failure is the server's refusal.
    SSL_CTX_set_security_level(native, 0);
    SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
  }
  if (SSL_CTX_set_min_proto_version(native, min_version) != 1 ||
      SSL_CTX_set_max_proto_version(native, max_version) != 1) {
    throw std::runtime_error(openssl_error("cannot set the TLS protocol range"));
  }
  if (ca_file.empty()) {
    context.set_verify_mode(asio::ssl::verify_none);
  } else {
    context.load_verify_file(ca_file);
    context.set_verify_mode(asio::ssl::verify_peer);
  }
  return context;
}

SelfSignedCert::SelfSignedCert(KeyType type) {
  std::string pattern = (std::filesystem::temp_directory_path() / "seoagents-cert-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + " failed");
  }
  directory_ = pattern;
  cert_file_ = directory_ + "/cert.pem";
  key_file_ = directory_ + "/key.pem";

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      type == KeyType::ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048), &EVP_PKEY_free);
  if (!key) throw std::runtime_error(openssl_error("key generation failed"));

  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  if (!cert) throw std::runtime_error(openssl_error("X509_new failed"));
  bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1;
  ok = ok && ASN1_INTEGER_set(X509_get_serialNumber(cert.get()),
                              static_cast<long>(std::time(nullptr) & 0x7fffffff)) == 1;
  ok = ok && X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr;
  ok = ok && X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7 * 24 * 3600) != nullptr;
  ok = ok && X509_set_pubkey(cert.get(), key.get()) == 1;
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                        0) == 1;
  ok = ok && X509_set_issuer_name(cert.get(), name) == 1;
  if (!ok) throw std::runtime_error(openssl_error("building the certificate failed"));

  X509V3_CTX ext_context;
  X509V3_set_ctx_nodb(&ext_context);
  X509V3_set_ctx(&ext_context, cert.get(), cert.get(), nullptr, nullptr, 0);
  const std::pair<int, const char*> extensions[] = {
      {NID_basic_constraints, "critical,CA:TRUE"},
      {NID_subject_key_identifier, "hash"},
      {NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign"},
      {NID_ext_key_usage, "serverAuth"},
      {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
  };
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ext_context, nid, value);
    if (extension == nullptr) throw std::runtime_error(openssl_error("certificate extension"));
    int added = X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
    if (added != 1) throw std::runtime_error(openssl_error("X509_add_ext failed"));
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    throw std::runtime_error(openssl_error("X509_sign failed"));
  }

  auto write_pem = [](const std::string& path, auto&& write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "w"), &BIO_free);
    if (!bio || write(bio.get()) != 1) throw std::runtime_error(openssl_error("writing " + path));
  };
  write_pem(cert_file_, [&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
  write_pem(key_file_, [&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
}

SelfSignedCert::~SelfSignedCert() {
  std::error_code ec;
  std::filesystem::remove_all(directory_, ec);
}

}  // namespace seoagents::testing
