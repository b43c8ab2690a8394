// Tests of the WebSocket upgrade's subprotocol list, the credential offered in it, and the
// same-origin check (http/websocket_handshake.hpp).
#include "http/websocket_handshake.hpp"

#include <gtest/gtest.h>

namespace seoagents::http {
namespace {

Request upgrade_with(std::initializer_list<std::string_view> protocol_fields,
                     std::string_view host = "seo.example.com") {
  Request request(bhttp::verb::get, "/v1/ws", 11);
  request.set(bhttp::field::host, host);
  for (std::string_view value : protocol_fields)
    request.insert(bhttp::field::sec_websocket_protocol, value);
  return request;
}

TEST(WebSocketHandshake, OfferedProtocolsAreTheTokensOfEveryField) {
  Request request = upgrade_with({" seoagents.v1 ,, seoagents.auth.sak_abc", "chat\t"});
  std::vector<std::string_view> expected = {"seoagents.v1", "seoagents.auth.sak_abc", "chat"};
  EXPECT_EQ(offered_protocols(request), expected);
  EXPECT_TRUE(offered_protocols(upgrade_with({})).empty());
  EXPECT_TRUE(offered_protocols(upgrade_with({" , "})).empty());
}

TEST(WebSocketHandshake, TheCredentialIsTheFirstNonEmptyAuthProtocol) {
  EXPECT_EQ(protocol_credential(upgrade_with({"seoagents.v1, seoagents.auth.sak_abc"})), "sak_abc");
  EXPECT_EQ(protocol_credential(upgrade_with({"seoagents.auth., seoagents.auth.eyJ.x.y"})),
            "eyJ.x.y");
  EXPECT_FALSE(protocol_credential(upgrade_with({"seoagents.v1"})));
  EXPECT_FALSE(protocol_credential(upgrade_with({"seoagents.authsak_abc", "seoagents.auth."})));
  EXPECT_FALSE(protocol_credential(upgrade_with({})));
}

TEST(WebSocketHandshake, TheChannelProtocolIsOfferedOnlyByItsExactName) {
  EXPECT_TRUE(offers_channel_protocol(upgrade_with({"seoagents.auth.sak_abc, seoagents.v1"})));
  EXPECT_FALSE(offers_channel_protocol(upgrade_with({"seoagents.v2, Seoagents.v1"})));
  EXPECT_FALSE(offers_channel_protocol(upgrade_with({})));
}

TEST(WebSocketHandshake, SameOriginMeansTheOriginNamesTheHost) {
  Request request = upgrade_with({}, "seo.example.com:8443");
  EXPECT_TRUE(is_same_origin("https://seo.example.com:8443", request));
  EXPECT_TRUE(is_same_origin("http://SEO.example.com:8443", request));
  for (std::string_view origin :
       {"https://seo.example.com", "https://seo.example.com:8443/", "https://evil.com",
        "seo.example.com:8443", "ftp://seo.example.com:8443", "null", "", "https://"}) {
    EXPECT_FALSE(is_same_origin(origin, request)) << origin;
  }
  Request no_host(bhttp::verb::get, "/v1/ws", 11);
  EXPECT_FALSE(is_same_origin("http://", no_host));
}

}  // namespace
}  // namespace seoagents::http
