// Request templates ({{seq}}, {{uuid}}, {{rand:A:B}}, {{var:NAME}}), the scenario file format
// (good files, and each kind of bad line refused with its line number), the rendered request
// bytes, and reading next_cursor from a list page.
#include "tools/loadgen/scenario.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tools/loadgen/prepared_request.hpp"
#include "tools/loadgen/request_template.hpp"

namespace seoagents::loadgen {
namespace {

// Expands `text` once with a fresh context sharing `sequence`.
struct Expander {
  std::atomic<std::uint64_t> sequence{0};
  FastRandom random{42};
  ExpansionContext context{sequence, random};

  std::string expand(const RequestTemplate& request_template) {
    context.begin_request();
    std::string out;
    request_template.expand(context, out);
    return out;
  }
};

TEST(RequestTemplate, LiteralTextStaysAsItIs) {
  auto parsed = RequestTemplate::parse("/v1/health?x=1", {});
  EXPECT_TRUE(parsed.is_literal());
  EXPECT_EQ(parsed.literal_text(), "/v1/health?x=1");
}

TEST(RequestTemplate, SeqIsUniqueAndIncreasingAndTheSameWithinOneRequest) {
  auto parsed = RequestTemplate::parse("Agent {{seq}} k{{seq}}", {});
  EXPECT_FALSE(parsed.is_literal());
  Expander expander;
  EXPECT_EQ(expander.expand(parsed), "Agent 0 k0");
  EXPECT_EQ(expander.expand(parsed), "Agent 1 k1");
  EXPECT_EQ(expander.expand(parsed), "Agent 2 k2");
}

TEST(RequestTemplate, UuidIsAVersion4UuidAndDiffersEachTime) {
  auto parsed = RequestTemplate::parse("{{uuid}}", {});
  Expander expander;
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string value = expander.expand(parsed);
    ASSERT_TRUE(std::regex_match(value, uuid)) << value;
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RequestTemplate, RandStaysWithinItsRangeAndCoversIt) {
  auto parsed = RequestTemplate::parse("{{rand:-2:3}}", {});
  Expander expander;
  std::set<int> seen;
  for (int i = 0; i < 2000; ++i) {
    int value = std::stoi(expander.expand(parsed));
    ASSERT_GE(value, -2);
    ASSERT_LE(value, 3);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(Expander().expand(RequestTemplate::parse("{{rand:7:7}}", {})), "7");
}

TEST(RequestTemplate, VarIsSubstitutedOnceAtParseTime) {
  Variables variables = {{"agent", "agent-1a2b"}, {"key", "sak_x"}};
  auto parsed =
      RequestTemplate::parse("/v1/dashboard/agents/{{var:agent}}?k={{var:key}}", variables);
  EXPECT_TRUE(parsed.is_literal());
  EXPECT_EQ(parsed.literal_text(), "/v1/dashboard/agents/agent-1a2b?k=sak_x");
}

TEST(RequestTemplate, BadTemplatesAreRefusedSayingWhy) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& bad : {Case{"/a/{{seq", "closing"}, Case{"{{nope}}", "unknown"},
                          Case{"{{rand:5:1}}", "A <= B"}, Case{"{{rand:x:1}}", "not an integer"},
                          Case{"{{rand:1}}", "rand:A:B"}, Case{"{{var:missing}}", "missing"}}) {
    try {
      RequestTemplate::parse(bad.text, {});
      ADD_FAILURE() << bad.text << " was accepted";
    } catch (const TemplateError& e) {
      EXPECT_NE(std::string(e.what()).find(bad.says), std::string::npos) << e.what();
    }
  }
}

TEST(RequestTemplate, VariablesParseFromNameEqualsValue) {
  auto [name, value] = parse_variable("agent=agent-1=2");
  EXPECT_EQ(name, "agent");
  EXPECT_EQ(value, "agent-1=2");
  EXPECT_THROW(parse_variable("noequals"), TemplateError);
  EXPECT_THROW(parse_variable("=value"), TemplateError);
}

constexpr std::string_view kGoodScenario = R"(# two kinds
weight 3
GET /v1/dashboard/agents/{{var:agent}}
header X-API-Key: {{var:key}}
---
weight 1
POST /v1/dashboard/agents
header Content-Type: application/json
header Idempotency-Key: {{uuid}}
body {"name":"Agent {{seq}}","keywords":["k{{seq}}"],"tone":"professional","word_target":1200}
---

GET /v1/dashboard/articles?limit=25&sort=score:desc
follow next_cursor
pages 40000
)";

TEST(Scenario, ParsesWeightsRequestsHeadersBodiesAndCursorWalks) {
  Variables variables = {{"agent", "agent-9"}, {"key", "sak_k"}};
  Scenario scenario = parse_scenario(kGoodScenario, "mix.txt", variables);
  ASSERT_EQ(scenario.kinds.size(), 3u);
  const RequestKind& read = scenario.kinds[0];
  EXPECT_EQ(read.weight, 3u);
  EXPECT_EQ(read.method, "GET");
  EXPECT_EQ(read.path.literal_text(), "/v1/dashboard/agents/agent-9");
  ASSERT_EQ(read.headers.size(), 1u);
  EXPECT_EQ(read.headers[0].first, "X-API-Key");
  EXPECT_EQ(read.headers[0].second.literal_text(), "sak_k");
  EXPECT_EQ(read.line, 3);
  const RequestKind& create = scenario.kinds[1];
  EXPECT_EQ(create.method, "POST");
  ASSERT_TRUE(create.body.has_value());
  EXPECT_FALSE(create.body->is_literal());
  EXPECT_EQ(create.headers.size(), 2u);
  const RequestKind& walk = scenario.kinds[2];
  EXPECT_EQ(walk.weight, 1u);
  EXPECT_TRUE(walk.follow_cursor);
  EXPECT_EQ(walk.pages, 40000u);
  EXPECT_EQ(walk.line, 13);
}

// The message of the ScenarioError that parsing `text` throws ("" when it parses).
std::string scenario_error(std::string_view text) {
  try {
    parse_scenario(text, "bad.txt", {});
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return {};
}

TEST(Scenario, EachKindOfBadLineIsRefusedNamingItsLine) {
  struct Case {
    std::string text;
    const char* message;
  };
  const Case cases[] = {
      {"GET /a\nfrobnicate 3\n", "bad.txt:2: unknown directive 'frobnicate'"},
      {"weight 0\nGET /a\n", "bad.txt:1: weight must be"},
      {"weight x\nGET /a\n", "bad.txt:1: weight must be"},
      {"weight 2\nweight 3\nGET /a\n", "bad.txt:2: a second 'weight'"},
      {"GET /a\nPOST /b\n", "bad.txt:2: a second request line"},
      {"GET a\n", "bad.txt:1: the path must start with '/'"},
      {"GET\n", "bad.txt:1: the path must start with '/'"},
      {"GET /a b\n", "bad.txt:1: the path holds a blank"},
      {"GET /a\nheader NoColon\n", "bad.txt:2: expected 'header Name: value'"},
      {"GET /a\nheader : value\n", "bad.txt:2: expected 'header Name: value'"},
      {"POST /a\nbody {}\nbody {}\n", "bad.txt:3: a second 'body'"},
      {"GET /a\nfollow prev_cursor\n", "bad.txt:2: expected 'follow next_cursor'"},
      {"GET /a\nfollow next_cursor\npages 0\n", "bad.txt:3: pages must be"},
      {"GET /a\npages 5\n", "bad.txt:2: 'pages' needs 'follow next_cursor'"},
      {"GET /a\n---\nweight 2\n---\n", "bad.txt:4: block without a request line"},
      {"GET /a/{{seq\n", "bad.txt:1: '{{' without a closing '}}'"},
      {"GET /a\nheader X-Key: {{var:key}}\n", "bad.txt:2: variable 'key' is not defined"},
      {"GET /a\nbody {{what}}\n", "bad.txt:2: unknown template variable"},
      {"# only comments\n\n", "bad.txt: no request in the scenario"},
  };
  for (const Case& bad : cases) {
    std::string message = scenario_error(bad.text);
    EXPECT_TRUE(message.starts_with(bad.message)) << bad.text << " → '" << message << "'";
  }
}

TEST(Scenario, TheCommandLineRequestRefusesABadHeader) {
  EXPECT_THROW(single_request_scenario("GET", "/", {"NoColon"}, std::nullopt, {}), ScenarioError);
  EXPECT_THROW(single_request_scenario("GET", "/{{x}}", {}, std::nullopt, {}), ScenarioError);
  Scenario scenario = single_request_scenario("GET", "/health", {"X-A: 1"}, std::nullopt, {});
  ASSERT_EQ(scenario.kinds.size(), 1u);
  EXPECT_EQ(scenario.kinds[0].headers.size(), 1u);
}

TEST(PreparedRequest, AFixedRequestIsRenderedOnceWithHost) {
  Scenario scenario =
      single_request_scenario("GET", "/health", {"X-API-Key: sak_1"}, std::nullopt, {});
  PreparedRequest request(scenario.kinds[0], "127.0.0.1:8080");
  Expander expander;
  std::string out;
  std::string body;
  std::string_view first = request.render(expander.context, {}, out, body);
  EXPECT_EQ(first, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-API-Key: sak_1\r\n\r\n");
  EXPECT_TRUE(out.empty());  // the fixed bytes are used, nothing is rendered per request
  EXPECT_EQ(request.render(expander.context, {}, out, body).data(), first.data());
}

TEST(PreparedRequest, BodiesGetTheirLengthAndTemplatesAreFilledPerRequest) {
  Scenario scenario = single_request_scenario("POST", "/v1/a?n={{seq}}", {"Host: example"},
                                              std::string(R"({"n":{{seq}}})"), {});
  PreparedRequest request(scenario.kinds[0], "ignored");
  Expander expander;
  std::string out;
  std::string body;
  EXPECT_EQ(request.render(expander.context, {}, out, body),
            "POST /v1/a?n=0 HTTP/1.1\r\nHost: example\r\nContent-Length: 7\r\n\r\n{\"n\":0}");
  EXPECT_EQ(request.render(expander.context, {}, out, body),
            "POST /v1/a?n=1 HTTP/1.1\r\nHost: example\r\nContent-Length: 7\r\n\r\n{\"n\":1}");
  Scenario empty = single_request_scenario("POST", "/v1/b", {}, std::nullopt, {});
  EXPECT_EQ(PreparedRequest(empty.kinds[0], "h").render(expander.context, {}, out, body),
            "POST /v1/b HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
}

TEST(PreparedRequest, TheCursorIsAppendedToTheQueryEncoded) {
  Scenario scenario = parse_scenario("GET /v1/list?limit=2\nfollow next_cursor\n", "s", {});
  PreparedRequest request(scenario.kinds[0], "h");
  Expander expander;
  std::string out;
  std::string body;
  EXPECT_EQ(request.render(expander.context, {}, out, body),
            "GET /v1/list?limit=2 HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(request.render(expander.context, "eyJh+b/c=", out, body),
            "GET /v1/list?limit=2&cursor=eyJh%2Bb%2Fc%3D HTTP/1.1\r\nHost: h\r\n\r\n");
  Scenario bare = parse_scenario("GET /v1/list\nfollow next_cursor\n", "s", {});
  EXPECT_EQ(PreparedRequest(bare.kinds[0], "h").render(expander.context, "abc", out, body),
            "GET /v1/list?cursor=abc HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST(PreparedRequest, KindsArePickedByWeight) {
  Scenario scenario = parse_scenario("weight 3\nGET /a\n---\nweight 1\nGET /b\n", "s", {});
  std::vector<PreparedRequest> kinds;
  for (const RequestKind& kind : scenario.kinds)
    kinds.emplace_back(kind, "h");
  KindPicker picker(kinds);
  FastRandom random(7);
  int picked[2] = {0, 0};
  for (int i = 0; i < 40'000; ++i)
    ++picked[picker.pick(random)];
  EXPECT_NEAR(picked[0] / 40'000.0, 0.75, 0.02);
}

TEST(NextCursor, IsReadFromAListPage) {
  EXPECT_EQ(find_next_cursor(R"({"data":[{"id":"a"}],"next_cursor":"eyJ0Ijo1fQ","has_more":true})"),
            std::optional<std::string_view>("eyJ0Ijo1fQ"));
  EXPECT_EQ(find_next_cursor(R"({"data":[],"next_cursor":null})"), std::nullopt);
  EXPECT_EQ(find_next_cursor(R"({"data":[]})"), std::nullopt);
  EXPECT_EQ(find_next_cursor(R"({"x_next_cursor":"no","next_cursor": "yes"})"),
            std::optional<std::string_view>("yes"));
  EXPECT_EQ(find_string_member(R"({"type":"progress","ts":"2026-01-01T00:00:00.123Z"})", "ts"),
            std::optional<std::string_view>("2026-01-01T00:00:00.123Z"));
}

}  // namespace
}  // namespace seoagents::loadgen
