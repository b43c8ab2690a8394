// Tests of route matching: literals, parameters, precedence, 405 Allow lists, HEAD, decoding.
#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace seoagents::http {
namespace {

Handler noop() {
  return [](RequestContext&) -> asio::awaitable<Response> { co_return Response{}; };
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.add(bhttp::verb::get, "/v1/dashboard/agents/{id}", noop());
  RouteMatch match = router.match(bhttp::verb::get, "/v1/dashboard/agents/agent-a1b2c3d4");
  ASSERT_NE(match.route, nullptr);
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "id");
  EXPECT_EQ(match.params[0].value, "agent-a1b2c3d4");
}

TEST(Router, UnknownPathIsNotFoundAndWrongMethodListsAllow) {
  Router router;
  router.add(bhttp::verb::get, "/health", noop());
  EXPECT_FALSE(router.match(bhttp::verb::get, "/nope").path_found);
  RouteMatch wrong = router.match(bhttp::verb::delete_, "/health");
  EXPECT_TRUE(wrong.path_found);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "GET, HEAD, OPTIONS");
}

// The pattern of the matched route, or "" when none matched.
std::string matched(const Router& router, bhttp::verb method, std::string_view path) {
  RouteMatch match = router.match(method, path);
  return match.route == nullptr ? std::string() : match.route->pattern;
}

TEST(Router, LiteralBeatsParameterAndBacktracksWhenTheLiteralLeadsNowhere) {
  Router router;
  router.add(bhttp::verb::get, "/jobs/{id}", noop());
  router.add(bhttp::verb::get, "/jobs/stats", noop());
  router.add(bhttp::verb::get, "/jobs/{id}/progress", noop());

  EXPECT_EQ(matched(router, bhttp::verb::get, "/jobs/stats"), "/jobs/stats");
  RouteMatch stats = router.match(bhttp::verb::get, "/jobs/stats");
  EXPECT_TRUE(stats.params.empty());

  RouteMatch job = router.match(bhttp::verb::get, "/jobs/job-123");
  ASSERT_NE(job.route, nullptr);
  EXPECT_EQ(job.route->pattern, "/jobs/{id}");
  ASSERT_EQ(job.params.size(), 1u);
  EXPECT_EQ(job.params[0].value, "job-123");

  // "stats" has no "progress" child: the match backtracks to {id} = "stats".
  RouteMatch progress = router.match(bhttp::verb::get, "/jobs/stats/progress");
  ASSERT_NE(progress.route, nullptr);
  EXPECT_EQ(progress.route->pattern, "/jobs/{id}/progress");
  ASSERT_EQ(progress.params.size(), 1u);
  EXPECT_EQ(progress.params[0].name, "id");
  EXPECT_EQ(progress.params[0].value, "stats");

  EXPECT_FALSE(router.match(bhttp::verb::get, "/jobs").path_found);
  EXPECT_FALSE(router.match(bhttp::verb::get, "/jobs/stats/other").path_found);
}

TEST(Router, RegistrationOrderDoesNotChangePrecedence) {
  Router router;
  router.add(bhttp::verb::get, "/jobs/stats", noop());
  router.add(bhttp::verb::get, "/jobs/{id}", noop());
  EXPECT_EQ(matched(router, bhttp::verb::get, "/jobs/stats"), "/jobs/stats");
  EXPECT_EQ(matched(router, bhttp::verb::get, "/jobs/x"), "/jobs/{id}");
}

TEST(Router, BacktrackingDropsParametersOfTheAbandonedBranch) {
  Router router;
  router.add(bhttp::verb::get, "/x/lit/{a}/end", noop());
  router.add(bhttp::verb::get, "/x/{b}/other/tail", noop());
  RouteMatch match = router.match(bhttp::verb::get, "/x/lit/other/tail");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/x/{b}/other/tail");
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0].name, "b");
  EXPECT_EQ(match.params[0].value, "lit");

  RouteMatch literal = router.match(bhttp::verb::get, "/x/lit/other/end");
  ASSERT_NE(literal.route, nullptr);
  EXPECT_EQ(literal.route->pattern, "/x/lit/{a}/end");
  ASSERT_EQ(literal.params.size(), 1u);
  EXPECT_EQ(literal.params[0].name, "a");
  EXPECT_EQ(literal.params[0].value, "other");
}

TEST(Router, SeveralParametersComeInPatternOrder) {
  Router router;
  router.add(bhttp::verb::put, "/sites/{site}/pages/{page}", noop());
  RouteMatch match = router.match(bhttp::verb::put, "/sites/s1/pages/p2");
  ASSERT_NE(match.route, nullptr);
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0].name, "site");
  EXPECT_EQ(match.params[0].value, "s1");
  EXPECT_EQ(match.params[1].name, "page");
  EXPECT_EQ(match.params[1].value, "p2");
}

TEST(Router, HeadMatchesGetRoute) {
  Router router;
  router.add(bhttp::verb::get, "/health", noop());
  router.add(bhttp::verb::post, "/items", noop());
  RouteMatch head = router.match(bhttp::verb::head, "/health");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method, bhttp::verb::get);
  EXPECT_EQ(head.route->pattern, "/health");

  RouteMatch no_get = router.match(bhttp::verb::head, "/items");
  EXPECT_TRUE(no_get.path_found);
  EXPECT_EQ(no_get.route, nullptr);
  EXPECT_EQ(no_get.allow, "POST, OPTIONS");
}

TEST(Router, AllowListsEveryMethodOfThePathInRegistrationOrder) {
  Router router;
  router.add(bhttp::verb::get, "/agents/{id}", noop());
  router.add(bhttp::verb::put, "/agents/{id}", noop());
  router.add(bhttp::verb::delete_, "/agents/{id}", noop());
  router.add(bhttp::verb::post, "/agents", noop());
  router.add(bhttp::verb::delete_, "/tokens", noop());
  router.add(bhttp::verb::post, "/tokens", noop());

  RouteMatch agent = router.match(bhttp::verb::post, "/agents/a1");
  EXPECT_TRUE(agent.path_found);
  EXPECT_EQ(agent.route, nullptr);
  EXPECT_EQ(agent.allow, "GET, HEAD, PUT, DELETE, OPTIONS");
  EXPECT_TRUE(agent.params.empty());

  EXPECT_EQ(router.match(bhttp::verb::get, "/agents").allow, "POST, OPTIONS");
  EXPECT_EQ(router.match(bhttp::verb::head, "/tokens").allow, "DELETE, POST, OPTIONS");
  EXPECT_EQ(router.match(bhttp::verb::options, "/tokens").allow, "DELETE, POST, OPTIONS");
  // A matched route needs no Allow list.
  EXPECT_EQ(router.match(bhttp::verb::get, "/agents/a1").allow, "");
}

TEST(Router, PercentEncodedParametersAreDecoded) {
  Router router;
  router.add(bhttp::verb::get, "/items/{name}", noop());
  router.add(bhttp::verb::get, "/jobs/stats", noop());

  RouteMatch space = router.match(bhttp::verb::get, "/items/a%20b");
  ASSERT_NE(space.route, nullptr);
  ASSERT_EQ(space.params.size(), 1u);
  EXPECT_EQ(space.params[0].value, "a b");

  RouteMatch letters = router.match(bhttp::verb::get, "/items/%41%62c");
  ASSERT_EQ(letters.params.size(), 1u);
  EXPECT_EQ(letters.params[0].value, "Abc");

  RouteMatch utf8 = router.match(bhttp::verb::get, "/items/%E2%82%AC");
  ASSERT_EQ(utf8.params.size(), 1u);
  EXPECT_EQ(utf8.params[0].value, "\xE2\x82\xAC");

  // A literal segment is compared after decoding too.
  EXPECT_EQ(matched(router, bhttp::verb::get, "/jobs/%73tats"), "/jobs/stats");
}

TEST(Router, MalformedEscapesAndEncodedSlashesDoNotMatch) {
  Router router;
  router.add(bhttp::verb::get, "/items/{name}", noop());
  for (std::string_view path : {"/items/%zz", "/items/%4", "/items/%", "/items/a%2Fb",
                                "/items/a%2fb", "/items/%00", "/items/%g1", "/%69tems/%2F"}) {
    RouteMatch match = router.match(bhttp::verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_FALSE(match.path_found) << path;
    EXPECT_TRUE(match.params.empty()) << path;
  }
}

TEST(Router, EmptySegmentsAndTrailingSlashesDoNotMatch) {
  Router router;
  router.add(bhttp::verb::get, "/health", noop());
  router.add(bhttp::verb::get, "/a/{id}/b", noop());
  for (std::string_view path : {"/health/", "//health", "/health//", "/a//b", "/a/x//b", "/a/x/b/",
                                "", "health", "/", "/HEALTH"}) {
    RouteMatch match = router.match(bhttp::verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_FALSE(match.path_found) << path;
  }
  EXPECT_EQ(matched(router, bhttp::verb::get, "/a/x/b"), "/a/{id}/b");
}

TEST(Router, RootRoute) {
  Router router;
  EXPECT_FALSE(router.match(bhttp::verb::get, "/").path_found);
  router.add(bhttp::verb::get, "/", noop());
  router.add(bhttp::verb::get, "/health", noop());
  EXPECT_EQ(matched(router, bhttp::verb::get, "/"), "/");
  EXPECT_EQ(matched(router, bhttp::verb::get, "/health"), "/health");
  EXPECT_FALSE(router.match(bhttp::verb::get, "//").path_found);
  EXPECT_FALSE(router.match(bhttp::verb::get, "/other").path_found);
  EXPECT_EQ(router.match(bhttp::verb::post, "/").allow, "GET, HEAD, OPTIONS");
}

TEST(Router, DuplicateRouteThrows) {
  Router router;
  router.add(bhttp::verb::get, "/items/{id}", noop());
  EXPECT_THROW(router.add(bhttp::verb::get, "/items/{id}", noop()), std::invalid_argument);
  // The same shape with another parameter name is the same route, or a conflict.
  EXPECT_THROW(router.add(bhttp::verb::get, "/items/{other}", noop()), std::invalid_argument);
  EXPECT_THROW(router.add(bhttp::verb::delete_, "/items/{other}", noop()), std::invalid_argument);
  // Another method on the same pattern is fine.
  EXPECT_NO_THROW(router.add(bhttp::verb::delete_, "/items/{id}", noop()));
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(Router, MalformedPatternsThrow) {
  for (std::string pattern : {"", "items", "//", "/a//b", "//a", "/a/"}) {
    Router router;
    EXPECT_THROW(router.add(bhttp::verb::get, pattern, noop()), std::invalid_argument)
        << "pattern \"" << pattern << "\"";
    EXPECT_TRUE(router.routes().empty()) << "pattern \"" << pattern << "\"";
  }
}

TEST(Router, RoutesListsEveryRouteInRegistrationOrder) {
  Router router;
  router.add(bhttp::verb::get, "/b", noop(), Access::open);
  router.add(bhttp::verb::post, "/a/{id}", noop());
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->pattern, "/b");
  EXPECT_EQ(router.routes()[0]->method, bhttp::verb::get);
  EXPECT_EQ(router.routes()[0]->access, Access::open);
  EXPECT_EQ(router.routes()[1]->pattern, "/a/{id}");
  EXPECT_EQ(router.routes()[1]->method, bhttp::verb::post);
  EXPECT_EQ(router.routes()[1]->access, Access::authenticated);
}

TEST(PercentDecodeSegment, DecodesValidEscapes) {
  std::string out = "stale";
  EXPECT_TRUE(percent_decode_segment("plain-text_1.2~", out));
  EXPECT_EQ(out, "plain-text_1.2~");
  EXPECT_TRUE(percent_decode_segment("a%20b", out));
  EXPECT_EQ(out, "a b");
  EXPECT_TRUE(percent_decode_segment("%41%42", out));
  EXPECT_EQ(out, "AB");
  EXPECT_TRUE(percent_decode_segment("%6a%6A", out));
  EXPECT_EQ(out, "jj");
  EXPECT_TRUE(percent_decode_segment("%e2%82%ac", out));
  EXPECT_EQ(out, "\xE2\x82\xAC");
  EXPECT_TRUE(percent_decode_segment("a+b", out));
  EXPECT_EQ(out, "a+b") << "'+' is not a space in a path";
  EXPECT_TRUE(percent_decode_segment("%2541", out));
  EXPECT_EQ(out, "%41") << "decoded once only";
  EXPECT_TRUE(percent_decode_segment("", out));
  EXPECT_EQ(out, "");
}

TEST(PercentDecodeSegment, RefusesMalformedEscapesSlashAndNul) {
  std::string out;
  for (std::string_view bad :
       {"%", "%4", "a%", "a%4", "%zz", "%4z", "%z4", "%2F", "%2f", "x%2Fy", "%00", "ok%00"}) {
    EXPECT_FALSE(percent_decode_segment(bad, out)) << bad;
  }
}

}  // namespace
}  // namespace seoagents::http
