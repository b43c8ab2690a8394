// The real binary on a data directory whose file system fails under it: a tmpfs that fills up
// and an ext4 image that turns read-only (the kernel's `abort`, what errors=remount-ro does on a
// failing disk). Writes must fail with 503 STORAGE_UNAVAILABLE and a log line, reads must keep
// working, no acknowledged write may be lost, and the server must take writes again once space
// returns. Mounting needs root (and loop devices for ext4): without them the tests skip.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/command.hpp"
#include "tests/support/data_dir.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kAgents = "/v1/dashboard/agents";
// The safety net for a command that never exits; not a timing assertion.
constexpr std::chrono::seconds kCommandWait{120};

CommandResult run_tool(const std::string& tool, const std::vector<std::string>& args) {
  return run_command(tool, args, kCommandWait);
}

// A file system mounted on a fresh directory for the life of the object. `mounted()` is false
// (with `why()`) when this machine does not let the test mount.
class ScopedMount {
 public:
  ScopedMount() : root_(make_temp_directory()), mount_point_(root_ + "/mnt") {
    fs::create_directory(mount_point_);
  }
  ~ScopedMount() {
    if (mounted_) run_tool("/usr/bin/umount", {"-l", mount_point_});
    fs::remove_all(root_);
  }
  ScopedMount(const ScopedMount&) = delete;
  ScopedMount& operator=(const ScopedMount&) = delete;

  bool mount_tmpfs(std::string_view size) {
    return mount({"-t", "tmpfs", "-o", join("size=", size), "tmpfs", mount_point_});
  }

  // A new ext4 image of `megabytes` without blocks reserved for root, mounted through a loop
  // device.
  bool mount_new_ext4(int megabytes) {
    image_ = root_ + "/ext4.img";
    fs::resize_file(create_empty(image_), static_cast<std::uintmax_t>(megabytes) << 20);
    auto made = run_tool("/usr/sbin/mkfs.ext4", {"-q", "-F", "-m", "0", image_});
    if (made.exit_code != 0) {
      why_ = "mkfs.ext4: " + made.err;
      return false;
    }
    return mount_image();
  }

  // Unmounts, repairs the image with e2fsck, mounts it again.
  bool repair_and_remount() {
    if (run_tool("/usr/bin/umount", {mount_point_}).exit_code != 0) return false;
    mounted_ = false;
    auto checked = run_tool("/usr/sbin/e2fsck", {"-f", "-y", image_});
    // 0: clean, 1: errors corrected.
    if (checked.exit_code > 1) {
      why_ = "e2fsck: " + checked.out + checked.err;
      return false;
    }
    return mount_image();
  }

  bool command(const std::vector<std::string>& mount_args) {
    auto result = run_tool("/usr/bin/mount", mount_args);
    if (result.exit_code != 0) why_ = "mount: " + result.err;
    return result.exit_code == 0;
  }

  const std::string& path() const { return mount_point_; }
  const std::string& why() const { return why_; }

 private:
  static std::string create_empty(const std::string& path) {
    std::ofstream{path};
    return path;
  }
  bool mount_image() { return mount({"-o", "loop", image_, mount_point_}); }
  bool mount(std::vector<std::string> args) {
    mounted_ = command(args);
    return mounted_;
  }

  std::string root_;
  std::string mount_point_;
  std::string image_;
  std::string why_;
  bool mounted_ = false;
};

// Fills the file system holding `path` with one file until a write fails: no space is left.
void fill_disk(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::vector<char> chunk(64 * 1024, 'x');
  while (std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size()) {
  }
  // What is left below one chunk.
  while (std::fwrite(chunk.data(), 1, 1, file) == 1) {
  }
  std::fclose(file);
}

std::string agent_body(int n) {
  return join(R"({"name":"agent )", std::to_string(n), R"(","keywords":["trade shows"]})");
}

// Every agent id of the account, read over HTTP.
std::set<std::string> listed_agents(const Api& api) {
  ListWalk walk = walk_list(api, join(kAgents, "?limit=100"));
  EXPECT_TRUE(walk.ended);
  auto ids = ids_of(walk.items);
  return {ids.begin(), ids.end()};
}

// Reads the server's output until a line holds `text`; false when the output ends first.
bool wait_for_line(ServerProcess& server, std::string_view text) {
  for (std::string line = server.read_line(); !line.empty(); line = server.read_line()) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

ServerProcessOptions with_log_on_stdout() {
  ServerProcessOptions options;
  options.extra_args = {"--access-log", "off"};
  options.log_to_stdout = true;
  return options;
}

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a file system needs root"

TEST(StorageFaults, ADiskFullRefusesWritesWith503KeepsReadsAndRecoversWhenSpaceReturns) {
  SKIP_UNLESS_ROOT();
  ScopedMount disk;
  if (!disk.mount_tmpfs("24m")) GTEST_SKIP() << disk.why();
  std::string data = disk.path() + "/data";
  std::string key = create_enterprise_key(data, "faults");
  ASSERT_FALSE(key.empty());

  ServerProcess server(data, with_log_on_stdout());
  Api api(server.port(), key);
  ASSERT_NE(api.port(), 0);
  std::set<std::string> acknowledged;
  for (int n = 0; n < 20; ++n)
    acknowledged.insert(text_of(api.create(kAgents, agent_body(n)), "id"));

  std::string filler = disk.path() + "/filler";
  fill_disk(filler);
  // The WAL may still have room it allocated before: write until a write needs new space.
  ClientResponse refused;
  for (int n = 100; n < 5000; ++n) {
    ClientResponse response = api.post(kAgents, agent_body(n));
    if (response.result_int() == 201) {
      acknowledged.insert(text_of(body_of(response), "id"));
      continue;
    }
    refused = response;
    break;
  }
  expect_error(refused, 503, "STORAGE_UNAVAILABLE");
  EXPECT_TRUE(wait_for_line(server, "storage_unavailable"));

  // Reads keep working, and hold every acknowledged write.
  EXPECT_EQ(api.get("/health").result_int(), 200u);
  EXPECT_EQ(listed_agents(api), acknowledged);
  expect_error(api.post(kAgents, agent_body(9000)), 503, "STORAGE_UNAVAILABLE");

  fs::remove(filler);
  acknowledged.insert(text_of(api.create(kAgents, agent_body(9001)), "id"));
  EXPECT_EQ(listed_agents(api), acknowledged);
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
  EXPECT_EQ(integrity_of(data + "/seoagents.db"), "ok");
}

TEST(StorageFaults, AFileSystemTurnedReadOnlyRefusesWritesWith503AndKeepsEverythingAcknowledged) {
  SKIP_UNLESS_ROOT();
  ScopedMount disk;
  if (!disk.mount_new_ext4(64)) GTEST_SKIP() << disk.why();
  std::string data = disk.path() + "/data";
  std::string key = create_enterprise_key(data, "faults");
  ASSERT_FALSE(key.empty());

  std::set<std::string> acknowledged;
  {
    ServerProcess server(data, with_log_on_stdout());
    Api api(server.port(), key);
    ASSERT_NE(api.port(), 0);
    for (int n = 0; n < 20; ++n)
      acknowledged.insert(text_of(api.create(kAgents, agent_body(n)), "id"));

    // What ext4 does by itself on I/O errors with errors=remount-ro.
    ASSERT_TRUE(disk.command({"-o", "remount,abort", disk.path()})) << disk.why();
    expect_error(api.post(kAgents, agent_body(100)), 503, "STORAGE_UNAVAILABLE");
    EXPECT_TRUE(wait_for_line(server, "storage_unavailable"));
    expect_error(api.post(kAgents, agent_body(101)), 503, "STORAGE_UNAVAILABLE");
    EXPECT_EQ(api.get("/health").result_int(), 200u);
    EXPECT_EQ(listed_agents(api), acknowledged);
    // It stops when asked, whatever the disk does.
    server.stop_with(SIGTERM);
  }

  // The operator repairs the file system; the data comes back whole.
  ASSERT_TRUE(disk.repair_and_remount()) << disk.why();
  EXPECT_EQ(integrity_of(data + "/seoagents.db"), "ok");
  ServerProcess restarted(data, with_log_on_stdout());
  Api api(restarted.port(), key);
  ASSERT_NE(api.port(), 0);
  EXPECT_EQ(listed_agents(api), acknowledged);
  acknowledged.insert(text_of(api.create(kAgents, agent_body(200)), "id"));
  EXPECT_EQ(listed_agents(api), acknowledged);
  EXPECT_EQ(restarted.stop_with(SIGTERM), 0);
}

}  // namespace
}  // namespace seoagents::testing
