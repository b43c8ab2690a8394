// Tests of the JSON-lines Logger: level filtering, line format, typed fields, escaping, threads.
#include "core/log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

namespace seoagents {
namespace {

namespace json = boost::json;

// A sink that keeps every line it is given, one entry per call.
struct Capture {
  std::mutex mutex;
  std::vector<std::string> lines;

  Logger::Sink sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
};

// Parses one captured line, which must be exactly one JSON object followed by "\n".
json::object parse_line(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n') << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one newline, at the end: " << line;
  json::error_code ec;
  json::value value = json::parse(std::string_view(line).substr(0, line.size() - 1), ec);
  EXPECT_FALSE(ec) << ec.message() << ": " << line;
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << line;
    return {};
  }
  return value.as_object();
}

// The string value of a member, or a marker when it is missing or not a string.
std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return "<missing>";
  if (!value->is_string()) return "<not a string: " + json::serialize(*value) + ">";
  return std::string(value->as_string());
}

TEST(LogLevel, ParseAndToStringRoundTrip) {
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
    EXPECT_EQ(parse_log_level(to_string(level)), level);
  }
  EXPECT_EQ(to_string(LogLevel::debug), "debug");
  EXPECT_EQ(to_string(LogLevel::warn), "warn");
  EXPECT_EQ(parse_log_level("warning"), std::nullopt);
  EXPECT_EQ(parse_log_level("Info"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
}

TEST(Logger, DropsLinesBelowTheMinimumLevel) {
  Capture capture;
  Logger logger(LogLevel::warn, capture.sink());
  EXPECT_FALSE(logger.enabled(LogLevel::debug));
  EXPECT_FALSE(logger.enabled(LogLevel::info));
  EXPECT_TRUE(logger.enabled(LogLevel::warn));
  EXPECT_TRUE(logger.enabled(LogLevel::error));
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  logger.log(LogLevel::info, "i2");
  logger.log(LogLevel::error, "e2");
  ASSERT_EQ(capture.lines.size(), 3u);
  std::vector<std::string> events;
  for (const std::string& line : capture.lines) {
    json::object object = parse_line(line);
    events.push_back(text_of(object, "event"));
  }
  EXPECT_EQ(events, (std::vector<std::string>{"w", "e", "e2"}));
  EXPECT_EQ(text_of(parse_line(capture.lines[0]), "level"), "warn");
  EXPECT_EQ(text_of(parse_line(capture.lines[1]), "level"), "error");
}

TEST(Logger, DebugLevelKeepsEverything) {
  Capture capture;
  Logger logger(LogLevel::debug, capture.sink());
  logger.debug("a");
  logger.info("b");
  logger.warn("c");
  logger.error("d");
  ASSERT_EQ(capture.lines.size(), 4u);
  const char* levels[] = {"debug", "info", "warn", "error"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(text_of(parse_line(capture.lines[i]), "level"), levels[i]);
  }
}

TEST(Logger, LineStartsWithTsLevelEventThenTypedFieldsInOrder) {
  Capture capture;
  Logger logger(LogLevel::info, capture.sink());
  logger.info("server_started", {{"host", "127.0.0.1"},
                                 {"port", 8080},
                                 {"negative", std::int64_t{-42}},
                                 {"big", std::numeric_limits<std::uint64_t>::max()},
                                 {"threads", 4u},
                                 {"ratio", 0.25},
                                 {"tls", false},
                                 {"sv", std::string_view("view")}});
  ASSERT_EQ(capture.lines.size(), 1u);
  json::object line = parse_line(capture.lines[0]);

  std::vector<std::string> keys;
  for (const auto& member : line)
    keys.emplace_back(member.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"ts", "level", "event", "host", "port", "negative",
                                            "big", "threads", "ratio", "tls", "sv"}));

  EXPECT_TRUE(std::regex_match(text_of(line, "ts"),
                               std::regex(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)")))
      << text_of(line, "ts");
  EXPECT_EQ(text_of(line, "level"), "info");
  EXPECT_EQ(text_of(line, "event"), "server_started");
  EXPECT_EQ(text_of(line, "host"), "127.0.0.1");
  ASSERT_TRUE(line["port"].is_int64());
  EXPECT_EQ(line["port"].as_int64(), 8080);
  ASSERT_TRUE(line["negative"].is_int64());
  EXPECT_EQ(line["negative"].as_int64(), -42);
  ASSERT_TRUE(line["big"].is_uint64());
  EXPECT_EQ(line["big"].as_uint64(), std::numeric_limits<std::uint64_t>::max());
  ASSERT_TRUE(line["threads"].is_number());
  EXPECT_EQ(line["threads"].to_number<std::uint64_t>(), 4u);
  ASSERT_TRUE(line["ratio"].is_double());
  EXPECT_EQ(line["ratio"].as_double(), 0.25);
  ASSERT_TRUE(line["tls"].is_bool());
  EXPECT_FALSE(line["tls"].as_bool());
  EXPECT_EQ(text_of(line, "sv"), "view");

  // The raw text uses numbers and booleans, not strings, for typed fields.
  EXPECT_NE(capture.lines[0].find(R"("port":8080)"), std::string::npos) << capture.lines[0];
  EXPECT_NE(capture.lines[0].find(R"("tls":false)"), std::string::npos) << capture.lines[0];
}

TEST(Logger, NonFiniteDoubleFieldBecomesNull) {
  Capture capture;
  Logger logger(LogLevel::info, capture.sink());
  logger.info("e", {{"x", std::numeric_limits<double>::quiet_NaN()}});
  ASSERT_EQ(capture.lines.size(), 1u);
  EXPECT_TRUE(parse_line(capture.lines[0])["x"].is_null());
}

TEST(Logger, AwkwardStringsStayValidJson) {
  Capture capture;
  Logger logger(LogLevel::info, capture.sink());
  std::string quotes = "say \"hi\" \\ there";
  std::string newlines = "line1\nline2\r\n\tend";
  std::string controls = std::string("nul\0bell\x07", 9);
  std::string bad_utf8 = "caf\xC3\xA9 \xFF\xFE end \xE2\x82";
  logger.info("weird \"event\"\n", {{"quotes", quotes},
                                    {"newlines", newlines},
                                    {"controls", std::string_view(controls)},
                                    {"bad_utf8", bad_utf8},
                                    {"key \"with\" quotes\n", 1}});
  ASSERT_EQ(capture.lines.size(), 1u);
  json::object line = parse_line(capture.lines[0]);
  EXPECT_EQ(text_of(line, "event"), "weird \"event\"\n");
  EXPECT_EQ(text_of(line, "quotes"), quotes);
  EXPECT_EQ(text_of(line, "newlines"), newlines);
  EXPECT_EQ(text_of(line, "controls"), controls);
  EXPECT_EQ(text_of(line, "bad_utf8"),
            "caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\xEF\xBF\xBD");
  ASSERT_TRUE(line.contains("key \"with\" quotes\n"));
  EXPECT_EQ(line["key \"with\" quotes\n"].as_int64(), 1);
}

TEST(Logger, EachSinkCallIsOneWholeLineUnderConcurrency) {
  Capture capture;
  Logger logger(LogLevel::info, capture.sink());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, t] {
      std::string filler(100 + t * 37, static_cast<char>('a' + t));
      for (int i = 0; i < kPerThread; ++i) {
        logger.info("tick", {{"thread", t}, {"i", i}, {"filler", filler}});
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();

  ASSERT_EQ(capture.lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::vector<int> next(kThreads, 0);
  for (const std::string& text : capture.lines) {
    json::object line = parse_line(text);
    int t = static_cast<int>(line["thread"].as_int64());
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    EXPECT_EQ(line["i"].as_int64(), next[t]) << "each thread's lines arrive in order";
    ++next[t];
    EXPECT_EQ(line["filler"].as_string().size(), static_cast<std::size_t>(100 + t * 37));
  }
  EXPECT_EQ(next, std::vector<int>(kThreads, kPerThread));
}

// Points stderr at a file for the lifetime of the object.
class StderrToFile {
 public:
  StderrToFile()
      : path_((std::filesystem::temp_directory_path() /
               ("seoagents-log-test-" + std::to_string(::getpid()) + ".txt"))
                  .string()) {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrToFile() {
    restore();
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }
  std::string contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(Logger, StderrLoggerWritesOnlyWholeLinesFromFourThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  StderrToFile redirect;
  {
    Logger logger(LogLevel::info);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&logger, t] {
        std::string filler(300, static_cast<char>('k' + t));
        for (int i = 0; i < kPerThread; ++i) {
          logger.info("stderr_tick", {{"thread", t}, {"i", i}, {"filler", filler}});
        }
      });
    }
    for (std::thread& thread : threads)
      thread.join();
  }
  redirect.restore();

  std::string text = redirect.contents();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::istringstream lines(text);
  std::vector<int> count(kThreads, 0);
  int total = 0;
  for (std::string line; std::getline(lines, line);) {
    json::error_code ec;
    json::value value = json::parse(line, ec);
    ASSERT_FALSE(ec) << "torn or merged line: " << line.substr(0, 200);
    ASSERT_TRUE(value.is_object());
    const json::object& object = value.as_object();
    ASSERT_EQ(text_of(object, "event"), "stderr_tick");
    ++count[static_cast<std::size_t>(object.at("thread").as_int64())];
    ++total;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(count, std::vector<int>(kThreads, kPerThread));
}

}  // namespace
}  // namespace seoagents
