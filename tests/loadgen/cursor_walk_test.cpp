// The cursor walk (`follow next_cursor`, `pages N`) against a loopback server that serves list
// pages: each request of the kind carries the previous answer's next_cursor, the walk starts
// again at page 1 after the last page or after N pages; a failed page restarts it too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "tests/loadgen/loopback_server.hpp"
#include "tools/loadgen/command.hpp"
#include "tools/loadgen/http_load.hpp"

namespace seoagents::loadgen {
namespace {

// Three pages: no cursor → c2 → c3 → null. Records each request's target.
class ListPages {
 public:
  testing::LoopbackServer::Handler handler() {
    return [this](std::string_view head, int) {
      std::string target(head.substr(4, head.find(' ', 4) - 4));
      std::lock_guard lock(mutex_);
      targets_.push_back(target);
      if (target.ends_with("cursor=c3")) return answer(R"({"data":[3],"next_cursor":null})");
      if (target.ends_with("cursor=c2")) return answer(R"({"data":[2],"next_cursor":"c3"})");
      if (target.find("cursor=") != std::string::npos) {
        return testing::LoopbackAnswer{"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"};
      }
      return answer(R"({"data":[1],"next_cursor":"c2","has_more":true})");
    };
  }

  std::vector<std::string> targets() const {
    std::lock_guard lock(mutex_);
    return targets_;
  }

 private:
  static testing::LoopbackAnswer answer(std::string_view body) {
    return {testing::json_response(body)};
  }

  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
};

class CursorWalkTest : public ::testing::Test {
 protected:
  CursorWalkTest() : server_(pages_.handler()) {}
  ~CursorWalkTest() override { std::filesystem::remove(scenario_path_); }

  // One connection, `requests` requests of the scenario.
  RunResult walk(std::string_view scenario_text, int requests) {
    std::ofstream(scenario_path_) << scenario_text;
    std::string count = std::to_string(requests);
    std::string url = server_.url();
    Options options = parse_options(
        {"-c", "1", "-t", "1", "-n", count, "--scenario", scenario_path_.c_str(), url});
    return run_http_load(options, scenario_for(options));
  }

  ListPages pages_;
  testing::LoopbackServer server_;
  std::string scenario_path_ = (std::filesystem::temp_directory_path() /
                                ("loadgen-walk-" + std::to_string(::getpid()) + ".txt"))
                                   .string();
};

TEST_F(CursorWalkTest, FollowsNextCursorAndStartsAgainAfterTheLastPage) {
  RunResult result = walk("GET /list?limit=1\nfollow next_cursor\n", 7);
  EXPECT_EQ(result.http.status[200], 7u);
  EXPECT_EQ(
      pages_.targets(),
      (std::vector<std::string>{
          "/list?limit=1", "/list?limit=1&cursor=c2", "/list?limit=1&cursor=c3", "/list?limit=1",
          "/list?limit=1&cursor=c2", "/list?limit=1&cursor=c3", "/list?limit=1"}));
}

TEST_F(CursorWalkTest, PagesBoundsTheWalk) {
  RunResult result = walk("GET /list\nfollow next_cursor\npages 2\n", 5);
  EXPECT_EQ(result.http.status[200], 5u);
  EXPECT_EQ(pages_.targets(), (std::vector<std::string>{"/list", "/list?cursor=c2", "/list",
                                                        "/list?cursor=c2", "/list"}));
}

TEST_F(CursorWalkTest, KindsWithoutFollowKeepTheirPath) {
  RunResult result = walk("GET /list?x=1\n", 3);
  EXPECT_EQ(result.http.status[200], 3u);
  EXPECT_EQ(pages_.targets(), (std::vector<std::string>(3, "/list?x=1")));
}

}  // namespace
}  // namespace seoagents::loadgen
