// Tests of the WebSocket channel's messages: every client message and every way it can be wrong,
// and the exact shape of every server message.
#include "ws/protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace seoagents::ws {
namespace {

namespace json = boost::json;

json::object object_of(const std::string& text) {
  return json::parse(text).as_object();
}

TEST(WsProtocol, SubscribeUnsubscribeAndPingAreRead) {
  auto subscribe = parse_client_message(
      R"({"action":"subscribe","job_id":"content-a1b2c3d4","since":"2026-02-26T10:30:00Z"})");
  ASSERT_TRUE(subscribe);
  EXPECT_EQ(subscribe->action, ClientMessage::Action::subscribe);
  EXPECT_EQ(subscribe->job_id, "content-a1b2c3d4");
  EXPECT_EQ(subscribe->since, 1772101800000);

  auto without_since = parse_client_message(R"({"action":"subscribe","job_id":"audit-1"})");
  ASSERT_TRUE(without_since);
  EXPECT_FALSE(without_since->since.has_value());
  auto null_since =
      parse_client_message(R"({"action":"subscribe","job_id":"audit-1","since":null})");
  ASSERT_TRUE(null_since);
  EXPECT_FALSE(null_since->since.has_value());

  auto unsubscribe = parse_client_message(R"({"action":"unsubscribe","job_id":"publish-1"})");
  ASSERT_TRUE(unsubscribe);
  EXPECT_EQ(unsubscribe->action, ClientMessage::Action::unsubscribe);
  EXPECT_EQ(unsubscribe->job_id, "publish-1");

  auto ping = parse_client_message(R"({"action":"ping"})");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->action, ClientMessage::Action::ping);
}

TEST(WsProtocol, BadMessagesAreRefusedWithACode) {
  struct Case {
    std::string text;
    std::string code;
  };
  std::vector<Case> cases = {
      {"", "INVALID_JSON"},
      {"{", "INVALID_JSON"},
      {"[]", "INVALID_JSON"},
      {R"("subscribe")", "INVALID_JSON"},
      {"{}", "VALIDATION_ERROR"},
      {R"({"action":7})", "VALIDATION_ERROR"},
      {R"({"action":"shout"})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe"})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":12})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":""})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":")" + std::string(65, 'x') + R"("})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":"a","since":"yesterday"})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":"a","since":1700000000})", "VALIDATION_ERROR"},
      {R"({"action":"subscribe","job_id":"a","extra":true})", "VALIDATION_ERROR"},
      {R"({"action":"unsubscribe","job_id":"a","since":"2026-02-26T10:30:00Z"})",
       "VALIDATION_ERROR"},
      {R"({"action":"ping","job_id":"a"})", "VALIDATION_ERROR"},
      {std::string(kMaxClientMessageBytes + 1, ' '), "VALIDATION_ERROR"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_client_message(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().code, c.code) << c.text;
    EXPECT_FALSE(parsed.error().message.empty()) << c.text;
  }
}

TEST(WsProtocol, ServerMessagesHaveTheirExactShape) {
  storage::Job job;
  job.id = "content-a1b2c3d4";
  job.job_type = "create";
  job.status = "processing";
  EXPECT_EQ(object_of(subscribed_message(job)),
            object_of(R"({"type":"subscribed","job_id":"content-a1b2c3d4","job_type":"create",)"
                      R"("status":"processing"})"));
  EXPECT_FALSE(final_message(job).has_value());

  storage::JobEvent event{"content-a1b2c3d4", 3, 1772101800123, "draft", 60, "Draft \"written\""};
  EXPECT_EQ(object_of(progress_message(event)),
            object_of(R"({"type":"progress","job_id":"content-a1b2c3d4","seq":3,)"
                      R"("ts":"2026-02-26T10:30:00.123Z","step":"draft","percent":60,)"
                      R"("message":"Draft \"written\""})"));

  job.status = "completed";
  job.result = R"({"s3_key":"articles/a/b.md","word_count":1500})";
  EXPECT_EQ(object_of(*final_message(job)),
            object_of(R"({"type":"completed","job_id":"content-a1b2c3d4",)"
                      R"("result":{"s3_key":"articles/a/b.md","word_count":1500}})"));
  job.status = "failed";
  job.error = "draft: the model was overloaded";
  EXPECT_EQ(object_of(*final_message(job)),
            object_of(R"({"type":"failed","job_id":"content-a1b2c3d4",)"
                      R"("error":"draft: the model was overloaded"})"));
  job.status = "cancelled";
  EXPECT_EQ(object_of(*final_message(job)),
            object_of(R"({"type":"cancelled","job_id":"content-a1b2c3d4"})"));

  EXPECT_EQ(object_of(error_message("FORBIDDEN", "Job x belongs to another account", "x")),
            object_of(R"({"type":"error","code":"FORBIDDEN",)"
                      R"("message":"Job x belongs to another account","job_id":"x"})"));
  EXPECT_EQ(object_of(error_message("INVALID_JSON", "a message is a JSON object")),
            object_of(R"({"type":"error","code":"INVALID_JSON",)"
                      R"("message":"a message is a JSON object"})"));
  EXPECT_EQ(object_of(pong_message()), object_of(R"({"type":"pong"})"));
}

}  // namespace
}  // namespace seoagents::ws
