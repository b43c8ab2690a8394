// The serialised bytes of an answer: the standard headers once each, then the response's own
// fields, the blank line and the body (HEAD without it).
#include "http/wire.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace seoagents::http {
namespace {

// How often "\r\n<name>: " starts a line of the header block.
int occurrences(const std::string& bytes, const std::string& name) {
  std::string header = bytes.substr(0, bytes.find("\r\n\r\n"));
  int count = 0;
  std::string needle = "\r\n" + name + ": ";
  for (std::size_t at = header.find(needle); at != std::string::npos;
       at = header.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

Answer sample_answer() {
  Answer answer;
  answer.response = json_response(bhttp::status::ok, R"({"ok":true})");
  answer.headers.request_id = "req-test-1";
  answer.headers.no_store = true;
  answer.headers.content_length = answer.response.body().size();
  answer.headers.rate_limit = RequestContext::RateStanding{120, 119, 1'800'000'000};
  return answer;
}

TEST(WireTest, AnAnswerCarriesEachStandardHeaderOnceThenItsFieldsAndBody) {
  std::string out;
  serialize_response(sample_answer(), false, out);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\n")) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\n{\"ok\":true}")) << out;
  for (const char* name : {"Server", "Date", "X-Request-Id", "X-Content-Type-Options",
                           "Cache-Control", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                           "X-RateLimit-Reset", "Content-Length", "Content-Type"}) {
    EXPECT_EQ(occurrences(out, name), 1) << name << " in\n" << out;
  }
  EXPECT_NE(out.find("\r\nX-Request-Id: req-test-1\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nX-RateLimit-Remaining: 119\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nX-RateLimit-Reset: 1800000000\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nContent-Length: 11\r\n"), std::string::npos);
}

TEST(WireTest, OptionalStandardHeadersAreLeftOutWhenUnset) {
  Answer answer = sample_answer();
  answer.headers.no_store = false;
  answer.headers.rate_limit.reset();
  answer.headers.content_length.reset();
  std::string out;
  serialize_response(answer, false, out);
  for (const char* name : {"Cache-Control", "X-RateLimit-Limit", "Content-Length"}) {
    EXPECT_EQ(occurrences(out, name), 0) << name << " in\n" << out;
  }
}

TEST(WireTest, HeadLeavesTheBodyOutButKeepsItsLength) {
  std::string out;
  serialize_response(sample_answer(), true, out);
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
  EXPECT_NE(out.find("\r\nContent-Length: 11\r\n"), std::string::npos);
}

// The header lines of serialised bytes, sorted, and the body. Date is left out: a second may turn
// between two serialisations.
std::pair<std::vector<std::string>, std::string> lines_and_body(const std::string& bytes) {
  std::size_t end = bytes.find("\r\n\r\n");
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < end;) {
    std::size_t next = bytes.find("\r\n", at);
    std::string line = bytes.substr(at, next - at);
    if (!line.starts_with("Date: ")) lines.push_back(std::move(line));
    at = next + 2;
  }
  std::sort(lines.begin(), lines.end());
  return {lines, bytes.substr(end + 4)};
}

TEST(WireTest, CompletingAnAnswerKeepsEveryHeaderAndTheBody) {
  std::string from_answer;
  std::string from_fields;
  Answer answer = sample_answer();
  serialize_response(answer, false, from_answer);
  serialize_response(std::move(answer).complete(), false, from_fields);
  EXPECT_EQ(lines_and_body(from_answer), lines_and_body(from_fields));
}

}  // namespace
}  // namespace seoagents::http
