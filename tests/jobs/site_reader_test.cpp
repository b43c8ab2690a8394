// Reading a site's published posts and pages (jobs/wordpress/site_reader) against a scripted
// WordPress on loopback: the REST requests it sends (Basic auth, status=publish, context=edit,
// id order, the trimmed _fields), X-WP-TotalPages followed, posts before pages, the SEO plugin's
// data picked when the site exposes it, the cap, answers over the size cap read again in half
// pages, and which failures are worth another attempt. Against the real WordPress the whole
// audit is tested in tests/http/audit_test.cpp.
#include "jobs/wordpress/site_reader.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>

#include "core/crypto.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/fake_model_server.hpp"

namespace seoagents::testing {
namespace {

using wordpress::PublishedItem;
using wordpress::ReadFailure;
using wordpress::SiteContent;

constexpr std::string_view kFields =
    "&_fields=id,type,link,slug,title.raw,title.rendered,content.rendered,excerpt.raw,meta,"
    "yoast_head_json.description";

// A post or page as WordPress lists it; `meta` is [] when the site registers no meta for REST.
std::string item(int id, std::string_view type, std::string_view extra = {},
                 std::string_view meta = "[]") {
  std::string n = std::to_string(id);
  std::string text = R"({"id":)" + n + R"(,"type":")" + std::string(type);
  text += R"(","link":"http://127.0.0.1/p)" + n + R"(/","slug":"p","title":{"raw":"Title )" + n;
  text += R"(","rendered":"Title"},"content":{"rendered":"<p>Text.</p>"},"meta":)";
  text += std::string(meta) + std::string(extra) + "}";
  return text;
}

ScriptedResponse page_of(std::string items, int total_pages) {
  return json_response(200, join("[", items, "]"),
                       {{"X-WP-TotalPages", std::to_string(total_pages)}});
}

class SiteReaderTest : public ::testing::Test {
 protected:
  Expected<SiteContent, ReadFailure> read(std::size_t cap,
                                          std::size_t max_response_bytes = 8 * 1024 * 1024) {
    OutboundOptions options;
    options.allow_private_targets = true;
    options.max_response_bytes = max_response_bytes;
    OutboundClient client(options);
    wordpress::SiteCredentials site{wordpress_.base_url(), "editor", "abcd efgh"};
    asio::io_context context;
    auto future = asio::co_spawn(
        context,
        [&]() -> asio::awaitable<std::optional<Expected<SiteContent, ReadFailure>>> {
          co_return co_await wordpress::read_published_content(client, site, cap, {});
        },
        asio::use_future);
    context.run();
    return std::move(*future.get());
  }

  std::vector<std::string> targets() {
    std::vector<std::string> out;
    for (const RecordedRequest& request : wordpress_.requests())
      out.push_back(request.target);
    return out;
  }

  FakeModelServer wordpress_;
};

std::string route(std::string_view collection, int per_page, int page) {
  return join("/wp-json/wp/v2/", collection,
              join("?status=publish&context=edit&orderby=id&order=asc&per_page=",
                   std::to_string(per_page), "&page=", std::to_string(page)),
              kFields);
}

TEST_F(SiteReaderTest, ReadsEveryPageOfPostsThenPagesWithThePluginData) {
  std::string yoast = item(1, "post", R"(,"yoast_head_json":{"description":"From Yoast."})",
                           R"({"_yoast_wpseo_focuskw":"booth cost"})");
  std::string rank_math = item(2, "post", "",
                               R"({"rank_math_focus_keyword":"trade show,booths",)"
                               R"("rank_math_description":"From Rank Math."})");
  std::string excerpt = item(3, "post", R"(,"excerpt":{"raw":"The excerpt."})");
  wordpress_.push(page_of(join(yoast, ",", rank_math), 2));
  wordpress_.push(page_of(excerpt, 2));
  wordpress_.push(page_of(item(9, "page"), 1));

  auto content = read(10);
  ASSERT_TRUE(content.has_value()) << content.error().message;
  EXPECT_FALSE(content->capped);
  ASSERT_EQ(content->items.size(), 4u);
  // Pages are asked for only as many as the cap leaves.
  EXPECT_EQ(targets(), (std::vector<std::string>{route("posts", 10, 1), route("posts", 10, 2),
                                                 route("pages", 7, 1)}));
  EXPECT_EQ(wordpress_.requests()[0].header("Authorization"),
            "Basic " + base64_encode("editor:abcd efgh"));

  const PublishedItem& first = content->items[0];
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.title, "Title 1");
  EXPECT_EQ(first.content_html, "<p>Text.</p>");
  EXPECT_EQ(first.meta_description, "From Yoast.");
  EXPECT_EQ(first.meta_description_source, "yoast");
  EXPECT_EQ(first.focus_keyphrase, "booth cost");
  EXPECT_EQ(first.focus_keyphrase_source, "yoast");
  EXPECT_EQ(content->items[1].meta_description_source, "rank_math");
  EXPECT_EQ(content->items[1].focus_keyphrase, "trade show");
  EXPECT_EQ(content->items[1].focus_keyphrase_source, "rank_math");
  EXPECT_EQ(content->items[2].meta_description, "The excerpt.");
  EXPECT_EQ(content->items[2].meta_description_source, "excerpt");
  EXPECT_EQ(content->items[2].focus_keyphrase_source, "");
  EXPECT_EQ(content->items[3].type, "page");
  EXPECT_EQ(content->items[3].meta_description_source, "none");
}

TEST_F(SiteReaderTest, StopsAtTheCap) {
  wordpress_.push(page_of(join(item(1, "post"), ",", item(2, "post"), ",", item(3, "post")), 4));
  auto content = read(2);
  ASSERT_TRUE(content.has_value()) << content.error().message;
  EXPECT_TRUE(content->capped);
  EXPECT_EQ(content->items.size(), 2u);
  EXPECT_EQ(targets(), (std::vector<std::string>{route("posts", 2, 1)}));
}

TEST_F(SiteReaderTest, AnAnswerOverTheSizeCapIsReadAgainInHalfPages) {
  std::string padding(6000, 'x');
  wordpress_.push(page_of(item(1, "post"), 3));  // page 1, 4 a page
  wordpress_.push(page_of(item(4, "post", join(R"(,"pad":")", padding, "\"")), 3));  // too large
  wordpress_.push(page_of(item(5, "post"), 4));  // page 3, 2 a page: where page 2 of 4 began
  wordpress_.push(page_of(item(7, "post"), 4));  // page 4, 2 a page: the last
  wordpress_.push(page_of("", 0));               // no pages
  auto content = read(4, 4096);
  ASSERT_TRUE(content.has_value()) << content.error().message;
  EXPECT_EQ(targets(), (std::vector<std::string>{route("posts", 4, 1), route("posts", 4, 2),
                                                 route("posts", 2, 3), route("posts", 2, 4),
                                                 route("pages", 1, 1)}));
  ASSERT_EQ(content->items.size(), 3u);
  EXPECT_EQ(content->items[1].id, 5);
}

TEST_F(SiteReaderTest, RefusalsFailForGoodAndOutagesMayBeRetried) {
  wordpress_.push(json_response(
      401,
      R"({"code":"incorrect_password","message":"The provided password is an invalid application password."})"));
  auto refused = read(10);
  ASSERT_FALSE(refused.has_value());
  EXPECT_FALSE(refused.error().retryable);
  EXPECT_NE(refused.error().message.find("HTTP 401 incorrect_password"), std::string::npos)
      << refused.error().message;

  wordpress_.push(json_response(503, R"({"code":"down","message":"Maintenance"})"));
  auto down = read(10);
  ASSERT_FALSE(down.has_value());
  EXPECT_TRUE(down.error().retryable);

  wordpress_.push(json_response(200, R"({"not":"a list"})"));
  auto not_a_list = read(10);
  ASSERT_FALSE(not_a_list.has_value());
  EXPECT_FALSE(not_a_list.error().retryable);

  ScriptedResponse hang_up;
  hang_up.hang_up = true;
  wordpress_.push(hang_up);
  auto dropped = read(10);
  ASSERT_FALSE(dropped.has_value());
  EXPECT_TRUE(dropped.error().retryable) << dropped.error().message;
}

}  // namespace
}  // namespace seoagents::testing
