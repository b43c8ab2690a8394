// Tests of route matching: literals, parameters, precedence, 405 Allow lists, HEAD, decoding.
#include "http/router.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace seoagents::http
