// Over-the-wire tests of the web dashboard's routes: GET / and every asset it loads, their
// content types, caching (no-cache with an ETag for the page, a year for hashed assets),
// If-None-Match, gzip, the Content-Security-Policy, HEAD, and the first load's compressed size
// against its 200 KB budget. Skipped in a build without the dashboard (-DSEOAGENTS_WEB_UI=OFF).
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "http/handlers/web_ui_files.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using bhttp::field;
using bhttp::verb;

class WebUiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (http::web_ui_files().empty()) GTEST_SKIP() << "built with -DSEOAGENTS_WEB_UI=OFF";
  }

  ClientResponse get(std::string_view target, const HeaderList& headers = {}) {
    return HttpClient(server_.port()).request(verb::get, target, {}, headers);
  }

  // The /assets/ files the page names in src= and href= attributes.
  std::set<std::string> assets_of(const std::string& page) {
    std::set<std::string> assets;
    static const std::regex kReference(R"re((?:src|href)="(/assets/[^"]+)")re");
    for (std::sregex_iterator it(page.begin(), page.end(), kReference), end; it != end; ++it)
      assets.insert((*it)[1].str());
    return assets;
  }

  TestServer server_{quiet_test_config()};
};

TEST_F(WebUiTest, ThePageIsServedWithoutCredentialsUnderAStrictPolicy) {
  ClientResponse page = get("/");
  ASSERT_EQ(page.result_int(), 200u) << page.body();
  EXPECT_EQ(page[field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(page[field::cache_control], "no-cache");
  EXPECT_FALSE(page[field::etag].empty());
  std::string policy(page["Content-Security-Policy"]);
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  EXPECT_EQ(page["X-Frame-Options"], "DENY");
  EXPECT_EQ(page["Referrer-Policy"], "no-referrer");
  EXPECT_NE(page.body().find("<html"), std::string::npos);
  // Nothing inline: the policy would block it.
  EXPECT_EQ(page.body().find("<script>"), std::string::npos);
  EXPECT_EQ(page.body().find("style=\""), std::string::npos);
  EXPECT_FALSE(assets_of(page.body()).empty()) << page.body();
}

TEST_F(WebUiTest, EveryAssetThePageLoadsIsServedForAYearWithItsContentType) {
  std::string page = get("/").body();
  for (const std::string& asset : assets_of(page)) {
    ClientResponse file = get(asset);
    ASSERT_EQ(file.result_int(), 200u) << asset;
    EXPECT_EQ(file[field::cache_control], "public, max-age=31536000, immutable") << asset;
    EXPECT_FALSE(file.body().empty()) << asset;
    std::string_view type = file[field::content_type];
    if (asset.ends_with(".js")) {
      EXPECT_EQ(type, "text/javascript; charset=utf-8") << asset;
    } else if (asset.ends_with(".css")) {
      EXPECT_EQ(type, "text/css; charset=utf-8") << asset;
    }
  }
}

TEST_F(WebUiTest, TheFirstLoadIsUnder200KilobytesCompressed) {
  const HeaderList gzip = {{"Accept-Encoding", "gzip, deflate, br"}};
  ClientResponse page = get("/", gzip);
  ASSERT_EQ(page[field::content_encoding], "gzip");
  std::size_t total = page.body().size();
  for (const std::string& asset : assets_of(get("/").body())) {
    ClientResponse file = get(asset, gzip);
    ASSERT_EQ(file[field::content_encoding], "gzip") << asset;
    EXPECT_EQ(file[field::vary], "Accept-Encoding");
    // The gzip magic number.
    ASSERT_GE(file.body().size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(file.body()[0]), 0x1fu) << asset;
    EXPECT_EQ(static_cast<unsigned char>(file.body()[1]), 0x8bu) << asset;
    total += file.body().size();
  }
  EXPECT_LT(total, 200u * 1024u);
  RecordProperty("first_load_gzip_bytes", static_cast<int>(total));
}

TEST_F(WebUiTest, GzipIsSentOnlyToClientsThatAcceptIt) {
  EXPECT_TRUE(get("/")[field::content_encoding].empty());
  EXPECT_TRUE(
      get("/", {{"Accept-Encoding", "gzip;q=0, identity"}})[field::content_encoding].empty());
  EXPECT_EQ(get("/", {{"Accept-Encoding", "gzip;q=0.5"}})[field::content_encoding], "gzip");
}

TEST_F(WebUiTest, AMatchingETagIsAnswered304WithoutABody) {
  ClientResponse page = get("/");
  std::string etag(page[field::etag]);
  ClientResponse again = get("/", {{"If-None-Match", etag}});
  EXPECT_EQ(again.result_int(), 304u);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(again[field::etag], etag);
  EXPECT_EQ(get("/", {{"If-None-Match", "\"something-else\""}}).result_int(), 200u);
}

TEST_F(WebUiTest, HeadAnswersTheHeadersAndUnknownAssetsAre404) {
  HttpClient client(server_.port());
  ASSERT_FALSE(client.send(make_request(verb::head, "/")));
  ClientResponse head = client.read_response(true);
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(head[field::content_length], std::to_string(get("/").body().size()));

  for (std::string_view missing :
       {"/assets/missing.js", "/assets/..%2Findex.html", "/assets/", "/index.html"}) {
    ClientResponse response = get(missing);
    EXPECT_EQ(response.result_int(), 404u) << missing;
    EXPECT_EQ(response[field::content_type], "application/json") << missing;
  }
  EXPECT_EQ(HttpClient(server_.port()).request(verb::post, "/", "{}").result_int(), 405u);
}

}  // namespace
}  // namespace seoagents::testing
