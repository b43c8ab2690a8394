// The report: JSON numbers in fixed notation, every error kind present (zeros included), the
// status counts and latency percentiles of merged per-thread counters, the WebSocket section.
#include "tools/loadgen/report.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace seoagents::loadgen {
namespace {

namespace json = boost::json;

TEST(LoadgenReport, NumbersAreWrittenInFixedNotation) {
  json::value value = json::parse(R"({"a":1.5,"b":76694.2,"c":[0.0001,2.0],"d":"x","e":7})");
  EXPECT_EQ(json_text(value), R"({"a":1.5,"b":76694.2,"c":[0,2],"d":"x","e":7})");
}

TEST(LoadgenReport, MergedCountersBecomeTheJsonReport) {
  HttpTotals first;
  HttpTotals second;
  for (int i = 0; i < 90; ++i) {
    first.latency.record(100);
    ++first.status[200];
  }
  for (int i = 0; i < 10; ++i) {
    second.latency.record(5000);
    ++second.status[404];
  }
  first.responses = 90;
  second.responses = 10;
  second.count_error(ErrorKind::timeout);
  RunResult result;
  result.http.merge(first);
  result.http.merge(second);
  result.duration_s = 2;
  result.rate = 50;
  json::object report = json::parse(json_text(report_json(result))).as_object();
  EXPECT_EQ(report.at("requests").to_number<int>(), 100);
  EXPECT_EQ(report.at("rps").to_number<double>(), 50.0);
  EXPECT_EQ(report.at("rate").to_number<double>(), 50.0);
  EXPECT_EQ(json::serialize(report.at("status")), R"({"200":90,"404":10})");
  const json::object& errors = report.at("errors").as_object();
  EXPECT_EQ(errors.size(), static_cast<std::size_t>(ErrorKind::count) - 1);
  EXPECT_EQ(errors.at("timeout").to_number<int>(), 1);
  EXPECT_EQ(errors.at("connect").to_number<int>(), 0);
  const json::object& latency = report.at("latency_us").as_object();
  EXPECT_EQ(latency.at("p50").to_number<int>(), 100);
  EXPECT_EQ(latency.at("p90").to_number<int>(), 100);
  EXPECT_EQ(latency.at("max").to_number<int>(), 5000);
  EXPECT_FALSE(report.contains("ws"));
  EXPECT_FALSE(report.contains("open"));
}

TEST(LoadgenReport, TheWebSocketSectionCountsFramesAndCloses) {
  RunResult result;
  result.mode = "ws";
  result.ws.frames = 300;
  result.ws.closes[1013] = 2;
  result.ws.error_codes["TOO_MANY_SUBSCRIPTIONS"] = 1;
  result.ws_duration_s = 3;
  result.ws_complete = true;
  json::object ws = json::parse(json_text(report_json(result))).as_object().at("ws").as_object();
  EXPECT_EQ(ws.at("frames_per_s").to_number<double>(), 100.0);
  EXPECT_EQ(json::serialize(ws.at("closes")), R"({"1013":2})");
  EXPECT_EQ(json::serialize(ws.at("error_messages")), R"({"TOO_MANY_SUBSCRIPTIONS":1})");
  EXPECT_TRUE(ws.at("complete").as_bool());
}

}  // namespace
}  // namespace seoagents::loadgen
