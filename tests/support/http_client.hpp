// Blocking HTTP, raw-TCP and TLS test clients, and a self-signed certificate maker.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seoagents::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using ClientRequest = bhttp::request<bhttp::string_body>;
using ClientResponse = bhttp::response<bhttp::string_body>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The safety net on every blocking wait of these helpers; never a timing assertion.
inline constexpr std::chrono::milliseconds kClientWait{10'000};

// An HTTP/1.1 request with Host set and Content-Length (when there is a body) prepared.
ClientRequest make_request(bhttp::verb method, std::string_view target, std::string body = {},
                           const HeaderList& headers = {});

// The raw text of "GET <target> HTTP/1.1" with an X-Fill header of `filler_bytes` characters.
std::string raw_get_with_filler(std::string_view target, std::size_t filler_bytes);

// What a raw read collected.
struct RawResult {
  std::string bytes;
  // The server closed (FIN or reset) before the wait ran out.
  bool closed = false;
};

// One client connection to 127.0.0.1:port, plain TCP or upgraded to TLS. Every operation is
// bounded by `kClientWait` (or the wait given); an operation that runs out reports a timeout.
class HttpClient {
 public:
  // Connects; throws std::runtime_error when the connection fails.
  explicit HttpClient(std::uint16_t port);
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Tries to connect; the error when it fails.
  static boost::system::error_code try_connect(std::uint16_t port);

  // Performs the client side of a TLS handshake on the connection (SNI `host_name`).
  boost::system::error_code start_tls(asio::ssl::context& context,
                                      const std::string& host_name = "localhost");
  bool is_tls() const { return tls_.has_value(); }

  // HTTP: writes one request; reads one response (`head`: the response to a HEAD, no body).
  boost::system::error_code send(const ClientRequest& request);
  boost::system::error_code read_response(ClientResponse& response, bool head = false);
  // Both, throwing std::runtime_error on any failure.
  ClientResponse request(const ClientRequest& request);
  ClientResponse request(bhttp::verb method, std::string_view target, std::string body = {},
                         const HeaderList& headers = {});
  ClientResponse read_response(bool head = false);

  // Raw bytes: writes them all.
  boost::system::error_code write(std::string_view bytes);
  // Reads (after anything already buffered) until the server closes or `wait` runs out.
  RawResult read_until_closed(std::chrono::milliseconds wait = kClientWait);
  // Reads until the bytes received so far contain `needle`, the server closes or `wait` runs
  // out. Returns the bytes up to and including `needle` (or all of them); the rest stays buffered.
  RawResult read_until(std::string_view needle, std::chrono::milliseconds wait = kClientWait);
  // True when the server closes the connection within `wait` (any bytes before are dropped).
  bool wait_closed(std::chrono::milliseconds wait = kClientWait) {
    return read_until_closed(wait).closed;
  }

  // Closes the connection from the client side.
  void close();

 private:
  template <class Initiate>
  boost::system::error_code run(Initiate&& initiate, std::chrono::milliseconds wait,
                                std::size_t* transferred = nullptr);
  beast::tcp_stream& lowest();

  asio::io_context context_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
};

// Opens a connection, writes `bytes`, reads until the server closes or `wait` runs out.
RawResult raw_exchange(std::uint16_t port, std::string_view bytes,
                       std::chrono::milliseconds wait = kClientWait);

// Parses consecutive complete responses from raw bytes. `head_responses` lists which of them
// (by index) answer a HEAD and so have no body. Parsing stops at the first incomplete one;
// `leftover` (if given) receives the bytes not consumed.
std::vector<ClientResponse> parse_responses(std::string_view bytes,
                                            std::initializer_list<std::size_t> head_responses = {},
                                            std::string* leftover = nullptr);

// The request_id member of an error envelope body, or "" when it is not one.
std::string body_request_id(const ClientResponse& response);

// A TLS client context accepting protocol versions [min_version, max_version] (TLS1_2_VERSION…;
// 0 means no bound). With a CA file, the server certificate is verified against it (and the
// host name "localhost"); without, it is not verified.
asio::ssl::context make_client_tls_context(int min_version, int max_version,
                                           const std::string& ca_file = {});

// A self-signed certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1) and its private key
// as PEM files in a fresh temporary directory, removed on destruction.
class SelfSignedCert {
 public:
  enum class KeyType { rsa, ec };
  explicit SelfSignedCert(KeyType type = KeyType::ec);
  ~SelfSignedCert();
  SelfSignedCert(const SelfSignedCert&) = delete;
  SelfSignedCert& operator=(const SelfSignedCert&) = delete;

  const std::string& cert_file() const { return cert_file_; }
  const std::string& key_file() const { return key_file_; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::string cert_file_;
  std::string key_file_;
};

}  // namespace seoagents::testing
