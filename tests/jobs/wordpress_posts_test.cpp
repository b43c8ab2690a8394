// How WordPress's answers become publish failures (jobs/wordpress/posts): which are worth
// another attempt (5xx, 408, 429, no answer: refused, dropped or timed-out connections) and which
// fail the job at once (401/403 credentials and rights, 400 invalid fields, 404, redirects, URLs
// the SSRF guard refuses, TLS), each carrying WordPress's code and message; the post body sent;
// and the article marker's form.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

#include "jobs/wordpress/posts.hpp"

namespace seoagents::wordpress {
namespace {

namespace json = boost::json;

OutboundResponse answer(unsigned status, std::string body) {
  OutboundResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string error_body(std::string_view code, std::string_view message) {
  json::object body;
  body["code"] = code;
  body["message"] = message;
  return json::serialize(body);
}

TEST(WordPressPostFailures, RefusedCredentialsAndRightsFailAtOnceWithWordPresssWords) {
  for (auto [status, code] : {std::pair<unsigned, std::string_view>{401, "rest_cannot_create"},
                              {401, "incorrect_password"},
                              {401, "rest_not_logged_in"},
                              {403, "rest_cannot_publish"}}) {
    PostFailure failure = answer_failure(answer(status, error_body(code, "Sorry, you cannot.")));
    SCOPED_TRACE(failure.message);
    EXPECT_FALSE(failure.retryable);
    EXPECT_EQ(failure.http_status, status);
    EXPECT_EQ(failure.code, code);
    EXPECT_NE(failure.message.find("HTTP " + std::to_string(status) + " " + std::string(code) +
                                   ": Sorry, you cannot."),
              std::string::npos);
    EXPECT_NE(failure.message.find("application password"), std::string::npos);
  }
}

TEST(WordPressPostFailures, InvalidFieldsAndOtherClientErrorsFailAtOnce) {
  PostFailure invalid =
      answer_failure(answer(400, error_body("rest_invalid_param", "Invalid parameter(s): status")));
  EXPECT_FALSE(invalid.retryable);
  EXPECT_EQ(invalid.code, "rest_invalid_param");
  EXPECT_NE(invalid.message.find("Invalid parameter(s): status"), std::string::npos);
  EXPECT_FALSE(answer_failure(answer(404, error_body("rest_no_route", "No route"))).retryable);
  EXPECT_FALSE(answer_failure(answer(410, "")).retryable);
  OutboundResponse moved = answer(301, "");
  moved.headers.set(boost::beast::http::field::location, "https://www.example.com/wp-json/");
  PostFailure redirect = answer_failure(moved);
  EXPECT_FALSE(redirect.retryable);
  EXPECT_NE(redirect.message.find("https://www.example.com/wp-json/"), std::string::npos);
}

TEST(WordPressPostFailures, ServerErrorsAndThrottlingAreRetried) {
  for (unsigned status : {500u, 502u, 503u, 504u, 408u, 429u}) {
    PostFailure failure = answer_failure(answer(status, "<html>busy</html>"));
    EXPECT_TRUE(failure.retryable) << status;
    EXPECT_NE(failure.message.find("HTTP " + std::to_string(status)), std::string::npos);
  }
}

TEST(WordPressPostFailures, NoAnswerIsRetriedUnlessAnotherTryCannotHelp) {
  using Kind = OutboundFailure::Kind;
  for (Kind kind : {Kind::dns, Kind::connect, Kind::timeout, Kind::protocol}) {
    PostFailure failure = transport_failure({kind, "connection to 127.0.0.1:9 refused"});
    EXPECT_TRUE(failure.retryable) << to_string(kind);
    EXPECT_EQ(failure.http_status, 0u);
    EXPECT_NE(failure.message.find("connection to 127.0.0.1:9 refused"), std::string::npos);
  }
  for (Kind kind : {Kind::invalid_url, Kind::unsafe_url, Kind::tls, Kind::too_large})
    EXPECT_FALSE(transport_failure({kind, "no"}).retryable) << to_string(kind);
}

TEST(WordPressPosts, TheBodyCarriesTheFieldsAndMetaOnlyWhenThereIsSome) {
  PostFields fields;
  fields.title = "Title \"quoted\"";
  fields.content = "<p>Body</p>";
  fields.status = "draft";
  fields.slug = "title";
  fields.excerpt = "Meta";
  json::object plain = json::parse(post_body(fields)).as_object();
  EXPECT_EQ(plain.size(), 5u);
  EXPECT_EQ(plain.at("title").as_string(), "Title \"quoted\"");
  EXPECT_EQ(plain.at("excerpt").as_string(), "Meta");
  EXPECT_FALSE(plain.contains("meta"));
  fields.meta["_elementor_edit_mode"] = "builder";
  json::object with_meta = json::parse(post_body(fields)).as_object();
  EXPECT_EQ(with_meta.at("meta").as_object().at("_elementor_edit_mode").as_string(), "builder");
}

TEST(WordPressPosts, TheMarkerIsOneSearchableWordPerArticle) {
  std::string marker = article_marker("articles/agent-a1b2c3d4/trade-show-booth-cost.md");
  EXPECT_TRUE(std::regex_match(marker, std::regex("^seoagents-article-[0-9a-f]{16}$"))) << marker;
  EXPECT_EQ(marker, article_marker("articles/agent-a1b2c3d4/trade-show-booth-cost.md"));
  EXPECT_NE(marker, article_marker("articles/agent-a1b2c3d4/other.md"));
  EXPECT_EQ(marker_comment(marker), "<!-- " + marker + " -->");
}

}  // namespace
}  // namespace seoagents::wordpress
