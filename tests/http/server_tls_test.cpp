// Over-the-wire TLS tests: HTTPS and plain HTTP on one port, protocol floor, bad files.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using bhttp::field;
using bhttp::verb;

Config tls_config(const SelfSignedCert& cert) {
  Config config = test_config();
  config.tls_cert = cert.cert_file();
  config.tls_key = cert.key_file();
  return config;
}

void expect_health_ok(const ClientResponse& response) {
  EXPECT_EQ(response.result_int(), 200);
  boost::json::value body = boost::json::parse(response.body());
  EXPECT_EQ(body.as_object().at("status"), "ok");
}

// Expects constructing a server with `config` to throw std::runtime_error mentioning `file`.
void expect_start_fails_naming(const Config& config, const std::string& file) {
  try {
    TestServer server(config);
    ADD_FAILURE() << "the server started with tls_cert=" << config.tls_cert
                  << " tls_key=" << config.tls_key;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
  }
  // The server never started, so nothing removed the data directory test_config() made.
  std::error_code ignored;
  std::filesystem::remove_all(config.data_dir, ignored);
}

TEST(ServerTls, SamePortServesHttpsAndPlainHttp) {
  SelfSignedCert cert;
  TestServer server(tls_config(cert));
  asio::ssl::context context = make_client_tls_context(TLS1_2_VERSION, 0, cert.cert_file());

  HttpClient tls(server.port());
  boost::system::error_code ec = tls.start_tls(context);
  ASSERT_FALSE(ec) << ec.message();
  expect_health_ok(tls.request(verb::get, "/health"));
  // Keep-alive over TLS.
  ClientResponse second =
      tls.request(verb::get, "/v1/dashboard/health", {}, {{"X-Request-Id", "tls-2"}});
  expect_health_ok(second);
  EXPECT_EQ(second["X-Request-Id"], "tls-2");

  HttpClient plain(server.port());
  expect_health_ok(plain.request(verb::get, "/health"));
}

TEST(ServerTls, Tls12AndTls13AreBothAccepted) {
  SelfSignedCert cert;
  TestServer server(tls_config(cert));
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    SCOPED_TRACE(version);
    asio::ssl::context context = make_client_tls_context(version, version, cert.cert_file());
    HttpClient client(server.port());
    boost::system::error_code ec = client.start_tls(context);
    ASSERT_FALSE(ec) << ec.message();
    expect_health_ok(client.request(verb::get, "/health"));
  }
}

TEST(ServerTls, RsaCertificateWorks) {
  SelfSignedCert cert(SelfSignedCert::KeyType::rsa);
  TestServer server(tls_config(cert));
  asio::ssl::context context = make_client_tls_context(TLS1_2_VERSION, 0, cert.cert_file());
  HttpClient client(server.port());
  boost::system::error_code ec = client.start_tls(context);
  ASSERT_FALSE(ec) << ec.message();
  expect_health_ok(client.request(verb::get, "/health"));
}

TEST(ServerTls, Tls11OnlyClientFailsTheHandshake) {
  SelfSignedCert cert;
  TestServer server(tls_config(cert));
  asio::ssl::context old = make_client_tls_context(TLS1_1_VERSION, TLS1_1_VERSION);
  HttpClient client(server.port());
  EXPECT_TRUE(client.start_tls(old));
  // The refusal does not disturb the server.
  asio::ssl::context modern = make_client_tls_context(TLS1_2_VERSION, 0, cert.cert_file());
  HttpClient next(server.port());
  ASSERT_FALSE(next.start_tls(modern));
  expect_health_ok(next.request(verb::get, "/health"));
}

TEST(ServerTls, ConnectionCloseOverTlsEndsTheConnection) {
  SelfSignedCert cert;
  TestServer server(tls_config(cert));
  asio::ssl::context context = make_client_tls_context(TLS1_2_VERSION, 0);
  HttpClient client(server.port());
  ASSERT_FALSE(client.start_tls(context));
  ClientResponse response = client.request(verb::get, "/health", {}, {{"Connection", "close"}});
  expect_health_ok(response);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.wait_closed());
}

TEST(ServerTls, ErrorResponsesOverTls) {
  SelfSignedCert cert;
  TestServer server(tls_config(cert));
  asio::ssl::context context = make_client_tls_context(TLS1_2_VERSION, 0);
  HttpClient client(server.port());
  ASSERT_FALSE(client.start_tls(context));
  ClientResponse missing = client.request(verb::get, "/nope", {}, {{"X-Request-Id", "tls-404"}});
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(body_request_id(missing), "tls-404");
  // Oversized headers over TLS: 431, then the connection ends.
  ASSERT_FALSE(client.write(raw_get_with_filler("/health", 9000)));
  RawResult raw = client.read_until_closed();
  EXPECT_TRUE(raw.closed);
  auto responses = parse_responses(raw.bytes);
  ASSERT_EQ(responses.size(), 1u) << raw.bytes;
  EXPECT_EQ(responses[0].result_int(), 431);
}

TEST(ServerTls, TlsClientOnPlainServerIsClosed) {
  TestServer server;
  asio::ssl::context context = make_client_tls_context(TLS1_2_VERSION, 0);
  HttpClient client(server.port());
  EXPECT_TRUE(client.start_tls(context));
  // The plain server is fine afterwards.
  expect_health_ok(HttpClient(server.port()).request(verb::get, "/health"));
}

TEST(ServerTls, MissingCertificateFileFailsStartNamingIt) {
  SelfSignedCert cert;
  Config config = tls_config(cert);
  config.tls_cert = cert.directory() + "/missing-cert.pem";
  expect_start_fails_naming(config, config.tls_cert);
}

TEST(ServerTls, MissingKeyFileFailsStartNamingIt) {
  SelfSignedCert cert;
  Config config = tls_config(cert);
  config.tls_key = cert.directory() + "/missing-key.pem";
  expect_start_fails_naming(config, config.tls_key);
}

TEST(ServerTls, KeyNotMatchingCertificateFailsStart) {
  SelfSignedCert cert;
  SelfSignedCert other;
  Config config = tls_config(cert);
  config.tls_key = other.key_file();
  expect_start_fails_naming(config, other.key_file());
}

}  // namespace
}  // namespace seoagents::testing
