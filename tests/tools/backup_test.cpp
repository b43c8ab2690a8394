// Tests of `seoagents backup` and `seoagents restore` through the real binary: a backup taken
// while a client keeps writing to the real server restores into a directory on which a new
// server answers every write acknowledged before the backup began, article bodies included; a
// damaged backup, an existing --out, a non-empty or server-held target are refused and leave
// everything as it was. In-process tests cover the object the sweep deletes mid-backup and a
// database newer than the binary.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "storage/migrations.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/command.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"
#include "tools/app.hpp"
#include "tools/backup_archive.hpp"
#include "tools/backup_commands.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The safety net for a command that never exits; not a timing assertion.
constexpr std::chrono::seconds kCommandWait{120};
constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kJobs = "/v1/dashboard/jobs";

CommandResult cli(const std::vector<std::string>& args) {
  return run_command(SEOAGENTS_BINARY, args, kCommandWait);
}

std::string last_line(const std::string& text) {
  std::istringstream lines(text);
  std::string last;
  for (std::string line; std::getline(lines, line);)
    last = line;
  return last;
}

// An enterprise account with limits no test reaches, created before the server starts; its key.
std::string create_unlimited_key(const std::string& data) {
  CommandResult key =
      cli({"keys", "create", "--account", "ops", "--plan", "enterprise", "--data", data});
  EXPECT_EQ(key.exit_code, 0) << key.err;
  CommandResult limits = cli({"accounts", "set-plan", "ops", "enterprise", "--requests-per-minute",
                              "1000000", "--concurrent-jobs", "1000", "--data", data});
  EXPECT_EQ(limits.exit_code, 0) << limits.err;
  return last_line(key.out);
}

ServerProcessOptions quiet_server() {
  ServerProcessOptions options;
  options.extra_args = {"--access-log", "off", "--job-workers", "4"};
  return options;
}

// Every file under `dir` (relative path → content): the whole state of a directory.
std::map<std::string, std::string> snapshot_of(const std::string& dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = read_file(entry.path().string());
    }
  }
  return files;
}

// Names in `dir` that start with `prefix` (temporary restore directories left behind).
std::vector<std::string> names_starting_with(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << bytes;
}

// A client that keeps creating agents and `create` jobs until stopped, recording each write the
// server acknowledged (201 / 202).
class Writer {
 public:
  Writer(std::uint16_t port, std::string key) : api_(port, std::move(key)) {
    thread_ = std::thread([this] { run(); });
  }
  ~Writer() { stop(); }

  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::string> agents() const {
    std::lock_guard lock(mutex_);
    return agents_;
  }
  std::vector<std::string> jobs() const {
    std::lock_guard lock(mutex_);
    return jobs_;
  }

 private:
  void run() {
    for (int n = 0; !stopping_; ++n) {
      try {
        write_one(n);
      } catch (const std::exception&) {
        // The server stopped under the client: nothing more is acknowledged.
        return;
      }
    }
  }
  void write_one(int n) {
    std::string name = join("agent-", std::to_string(n));
    auto created = api_.post(kAgents, join(R"({"name":")", name, R"(","keywords":["backup test )",
                                           std::to_string(n), "\"]}"));
    if (created.result_int() != 201) return;
    std::string agent_id = text_of(body_of(created), "id");
    {
      std::lock_guard lock(mutex_);
      agents_.push_back(agent_id);
    }
    auto job = api_.post(kJobs, join(R"({"agent_id":")", agent_id, R"(","job_type":"create"})"));
    if (job.result_int() != 202) return;
    std::lock_guard lock(mutex_);
    jobs_.push_back(text_of(body_of(job), "job_id"));
  }

  Api api_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> agents_;
  std::vector<std::string> jobs_;
  std::thread thread_;
};

// The s3_key of a completed create job, or "" while it is not completed.
std::string completed_article(const Api& api, const std::string& job_id) {
  auto job = body_of(api.get(join(kJobs, "/", job_id)));
  if (text_of(job, "status") != "completed") return {};
  return text_of(job.at("result").as_object(), "s3_key");
}

std::string preview_target(const std::string& s3_key) {
  return join("/v1/dashboard/preview?s3_key=", s3_key);
}

// What a client had acknowledged when a backup started.
struct Acknowledged {
  std::vector<std::string> agents;
  std::vector<std::string> jobs;
  // s3_key → the preview of its article.
  std::map<std::string, std::string> articles;
};

// Restores `archive` into `directory`, starts a server there and checks every write of `before`
// over HTTP, article bodies included.
void expect_restored(const std::string& archive, const std::string& directory,
                     const std::string& key, const Acknowledged& before) {
  CommandResult restore = cli({"restore", "--in", archive, "--data", directory});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_NE(restore.out.find("restored " + archive), std::string::npos) << restore.out;
  ServerProcess server(directory, quiet_server());
  std::uint16_t port = server.port();
  ASSERT_NE(port, 0);
  Api api(port, key);
  for (const std::string& agent : before.agents)
    EXPECT_EQ(api.get(join(kAgents, "/", agent)).result_int(), 200) << agent;
  for (const std::string& job : before.jobs)
    EXPECT_EQ(api.get(join(kJobs, "/", job)).result_int(), 200) << job;
  for (const auto& [s3_key, preview] : before.articles) {
    auto restored_preview = api.get(preview_target(s3_key));
    EXPECT_EQ(restored_preview.result_int(), 200) << s3_key;
    EXPECT_EQ(restored_preview.body(), preview) << s3_key;
  }
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
}

// Articles completed before the backups start.
constexpr int kArticlesBefore = 20;

TEST(Backup, BackupsTakenUnderWritesRestoreEveryAcknowledgedWrite) {
  TempDirectory root;
  std::string data = root.path() + "/data";
  std::string archive = root.path() + "/cli.backup";
  std::string small_steps = root.path() + "/small-steps.backup";
  std::string key = create_unlimited_key(data);
  ASSERT_FALSE(key.empty());

  Acknowledged before;
  {
    ServerProcess server(data, quiet_server());
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    Api api(port, key);
    Writer writer(port, key);
    ASSERT_TRUE(eventually([&] {
      int completed = 0;
      for (const std::string& job : writer.jobs())
        completed += completed_article(api, job).empty() ? 0 : 1;
      return completed >= kArticlesBefore;
    }));
    before.agents = writer.agents();
    before.jobs = writer.jobs();
    for (const std::string& job : before.jobs) {
      std::string s3_key = completed_article(api, job);
      if (s3_key.empty()) continue;
      auto preview = api.get(preview_target(s3_key));
      ASSERT_EQ(preview.result_int(), 200) << s3_key;
      before.articles[s3_key] = preview.body();
    }
    // The backups run while the client goes on writing: the binary's, and one copying a
    // database page per step (the snapshot must hold across thousands of steps and commits).
    CommandResult backup = cli({"backup", "--out", archive, "--data", data});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
    EXPECT_NE(backup.out.find("backup " + archive), std::string::npos) << backup.out;
    BackupOptions options;
    options.data_dir = data;
    options.out = small_steps;
    options.pages_per_step = 1;
    auto done = create_backup(options);
    ASSERT_TRUE(done.has_value()) << done.error();
    std::size_t jobs_after = writer.jobs().size();
    writer.stop();
    std::cout << "acknowledged before the backups: " << before.agents.size() << " agents, "
              << before.jobs.size() << " jobs, " << before.articles.size()
              << " articles; jobs acknowledged by the end of the backups: " << jobs_after
              << "; database " << done->database_bytes << " bytes, " << done->objects << " objects"
              << std::endl;
    EXPECT_EQ(server.stop_with(SIGTERM), 0);
  }
  ASSERT_GE(before.articles.size(), static_cast<std::size_t>(kArticlesBefore));
  expect_restored(archive, root.path() + "/restored", key, before);
  expect_restored(small_steps, root.path() + "/restored-small-steps", key, before);
}

// A data directory with a stopped server's database, one agent and its key, and a backup of it.
class BackupFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = root_.path() + "/data";
    archive_ = root_.path() + "/seoagents.backup";
    key_ = create_unlimited_key(data_);
    ServerProcess server(data_, quiet_server());
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    Api(port, key_).create(kAgents, R"({"name":"kept","keywords":["k"]})");
    ASSERT_EQ(server.stop_with(SIGTERM), 0);
    CommandResult backup = cli({"backup", "--out", archive_, "--data", data_});
    ASSERT_EQ(backup.exit_code, 0) << backup.err;
  }

  TempDirectory root_;
  std::string data_;
  std::string archive_;
  std::string key_;
};

TEST_F(BackupFiles, ADamagedBackupIsRefusedAndTheTargetIsUntouched) {
  std::string original = read_file(archive_);
  ASSERT_GT(original.size(), 100u);
  std::string target = root_.path() + "/target";
  fs::create_directory(target);
  write_file(target + "/keep.txt", "the operator's file");
  auto before = snapshot_of(target);
  // A byte of the database, of the magic line, of a header, of the manifest, of the checksum.
  std::size_t database_byte = original.find("SQLite format 3") + 40;
  std::size_t header_byte = original.find("F ", 10) + 2;
  std::size_t manifest_byte = original.find("\"sha256\"") + 12;
  std::size_t checksum_byte = original.size() - 5;
  for (std::size_t position : {database_byte, std::size_t{3}, header_byte, manifest_byte,
                               checksum_byte, original.size() / 2}) {
    SCOPED_TRACE(position);
    std::string damaged = original;
    damaged[position] = static_cast<char>(damaged[position] ^ 0x01);
    write_file(archive_, damaged);
    CommandResult restore = cli({"restore", "--in", archive_, "--data", target, "--force"});
    EXPECT_EQ(restore.exit_code, 1);
    EXPECT_NE(restore.err.find("refused"), std::string::npos) << restore.err;
    EXPECT_EQ(snapshot_of(target), before);
    EXPECT_TRUE(names_starting_with(root_.path(), ".target").empty());
    EXPECT_TRUE(names_starting_with(root_.path(), "target.before-restore").empty());
  }
  // Truncated, or with bytes after the end: refused too.
  for (std::string changed : {original.substr(0, original.size() - 1),
                              original.substr(0, original.size() / 2), original + "x"}) {
    write_file(archive_, changed);
    CommandResult restore = cli({"restore", "--in", archive_, "--data", target, "--force"});
    EXPECT_EQ(restore.exit_code, 1) << changed.size();
    EXPECT_EQ(snapshot_of(target), before);
  }
}

TEST_F(BackupFiles, AnExistingOutIsRefusedUnlessForced) {
  std::string out = root_.path() + "/existing";
  write_file(out, "not to be lost");
  CommandResult refused = cli({"backup", "--out", out, "--data", data_});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("exists"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(out), "not to be lost");
  EXPECT_FALSE(fs::exists(out + ".tmp"));

  CommandResult forced = cli({"backup", "--out", out, "--data", data_, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(read_file(out).starts_with(backup::kMagicLine));
  EXPECT_FALSE(fs::exists(out + ".tmp"));
  EXPECT_FALSE(fs::exists(out + ".tmp-db"));
  EXPECT_TRUE(backup::read_archive(out).has_value());
}

TEST_F(BackupFiles, ARestoreIntoADirectoryAServerHoldsIsRefused) {
  std::string busy = root_.path() + "/busy";
  ServerProcess server(busy, quiet_server());
  std::uint16_t port = server.port();
  ASSERT_NE(port, 0);
  auto before = snapshot_of(busy);
  CommandResult restore = cli({"restore", "--in", archive_, "--data", busy, "--force"});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_NE(restore.err.find("server is running"), std::string::npos) << restore.err;
  EXPECT_TRUE(names_starting_with(root_.path(), "busy.before-restore").empty());
  EXPECT_EQ(HttpClient(port).request(bhttp::verb::get, "/health").result_int(), 200);
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
}

TEST_F(BackupFiles, ANonEmptyTargetNeedsForceAndIsThenKeptAside) {
  std::string target = root_.path() + "/target";
  fs::create_directory(target);
  write_file(target + "/keep.txt", "the operator's file");
  CommandResult refused = cli({"restore", "--in", archive_, "--data", target});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(target + "/keep.txt"), "the operator's file");

  CommandResult forced = cli({"restore", "--in", archive_, "--data", target, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  auto aside = names_starting_with(root_.path(), "target.before-restore-");
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(read_file(root_.path() + "/" + aside[0] + "/keep.txt"), "the operator's file");
  EXPECT_NE(forced.out.find(aside[0]), std::string::npos) << forced.out;
  // The restored directory is the original's, master key included.
  EXPECT_EQ(read_file(target + "/master.key"), read_file(data_ + "/master.key"));
  ServerProcess server(target, quiet_server());
  std::uint16_t port = server.port();
  ASSERT_NE(port, 0);
  auto agents = body_of(Api(port, key_).get(kAgents));
  ASSERT_EQ(agents.at("data").as_array().size(), 1u);
  EXPECT_EQ(text_of(agents.at("data").as_array()[0].as_object(), "name"), "kept");
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
}

TEST_F(BackupFiles, AnEmptyExistingTargetIsFilledWithoutForce) {
  std::string target = root_.path() + "/empty";
  fs::create_directory(target);
  CommandResult restore = cli({"restore", "--in", archive_, "--data", target});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_TRUE(fs::exists(target + "/seoagents.db"));
  EXPECT_TRUE(names_starting_with(root_.path(), "empty.before-restore").empty());
}

TEST(BackupCli, BadUsageIsExitCode2) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"backup"},
                                             {"backup", "--out"},
                                             {"backup", "--out", "/tmp/x", "--bogus", "1"},
                                             {"backup", "--out", "/tmp/x", "extra"},
                                             {"restore", "--in", "/tmp/x"},
                                             {"restore", "--data", "/tmp/x"}}) {
    CommandResult result = cli(args);
    EXPECT_EQ(result.exit_code, 2) << args.size() << " " << result.err;
    EXPECT_NE(result.err.find("seoagents backup --out FILE"), std::string::npos) << result.err;
  }
}

TEST(BackupCli, AMissingDatabaseOrAnOutInsideTheDataDirectoryFails) {
  TempDirectory root;
  CommandResult missing = cli({"backup", "--out", root.path() + "/b", "--data", root.path()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no database"), std::string::npos) << missing.err;
  Logger logger(LogLevel::error, [](std::string_view) {});
  { storage::Store store({database_path(root.path())}, logger); }
  CommandResult inside = cli({"backup", "--out", root.path() + "/b", "--data", root.path()});
  EXPECT_EQ(inside.exit_code, 1);
  EXPECT_NE(inside.err.find("outside the data directory"), std::string::npos) << inside.err;
}

// In-process: the backup functions on a data directory written through the store.
class BackupInProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = root_.path() + "/data";
    fs::create_directory(data_);
    Logger logger(LogLevel::error, [](std::string_view) {});
    storage::Store store({database_path(data_)}, logger);
    storage::FilesystemObjectStore objects(objects_path(data_));
    for (std::string_view key : kKeys)
      ASSERT_TRUE(objects.put(key, join("body of ", key)).has_value());
  }

  static constexpr std::string_view kKeys[] = {"accounts/a/articles/one/body.md",
                                               "accounts/a/articles/two/body.md",
                                               "accounts/a/articles/two/versions/1.md"};
  TempDirectory root_;
  std::string data_;
};

TEST_F(BackupInProcess, AnObjectDeletedAfterTheSnapshotIsSkippedNotFatal) {
  BackupOptions options;
  options.data_dir = data_;
  options.out = root_.path() + "/b";
  // What the article sweep may do between the two steps.
  options.after_database_snapshot = [&] {
    fs::remove(objects_path(data_) + "/" + std::string(kKeys[1]));
  };
  auto done = create_backup(options);
  ASSERT_TRUE(done.has_value()) << done.error();
  EXPECT_EQ(done->objects, 2u);
  EXPECT_EQ(done->objects_skipped, 0u);
  // Deleted before listing: not listed at all. Deleting between list and copy is what counts.
  auto manifest = backup::read_archive(options.out);
  ASSERT_TRUE(manifest.has_value()) << manifest.error();
  std::vector<std::string> paths;
  for (const auto& entry : manifest->files)
    paths.push_back(entry.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"seoagents.db", "objects/" + std::string(kKeys[0]),
                                             "objects/" + std::string(kKeys[2])}));
}

TEST_F(BackupInProcess, AnObjectDeletedBetweenItsListingAndItsCopyIsSkipped) {
  BackupOptions options;
  options.data_dir = data_;
  options.out = root_.path() + "/b";
  options.before_object_copy = [&](const std::string& key) {
    if (key == kKeys[1]) fs::remove(objects_path(data_) + "/" + key);
  };
  auto done = create_backup(options);
  ASSERT_TRUE(done.has_value()) << done.error();
  EXPECT_EQ(done->objects, 2u);
  EXPECT_EQ(done->objects_skipped, 1u);
  auto manifest = backup::read_archive(options.out);
  ASSERT_TRUE(manifest.has_value()) << manifest.error();
  EXPECT_EQ(manifest->objects_skipped, 1u);
  EXPECT_EQ(manifest->files.size(), 3u);
}

TEST_F(BackupInProcess, ADatabaseNewerThanTheBinaryIsRefusedBeforeAnythingIsTouched) {
  {
    storage::Connection db(database_path(data_), storage::Connection::Mode::read_write);
    db.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version() + 1));
  }
  BackupOptions options;
  options.data_dir = data_;
  options.out = root_.path() + "/b";
  ASSERT_TRUE(create_backup(options).has_value());
  std::string target = root_.path() + "/target";
  auto restored = restore_backup({options.out, target, false});
  ASSERT_FALSE(restored.has_value());
  EXPECT_NE(restored.error().find("newer seoagents"), std::string::npos) << restored.error();
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(BackupInProcess, TheRestoredFilesAreTheOriginals) {
  BackupOptions options;
  options.data_dir = data_;
  options.out = root_.path() + "/b";
  auto done = create_backup(options);
  ASSERT_TRUE(done.has_value()) << done.error();
  EXPECT_EQ(done->objects, 3u);
  EXPECT_EQ(done->schema_version, storage::latest_schema_version());
  std::string target = root_.path() + "/target";
  auto restored = restore_backup({options.out, target, false});
  ASSERT_TRUE(restored.has_value()) << restored.error();
  storage::FilesystemObjectStore objects(objects_path(target));
  for (std::string_view key : kKeys) {
    auto body = objects.get(key, 1024);
    ASSERT_TRUE(body.has_value()) << key;
    EXPECT_EQ(*body, join("body of ", key));
  }
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all, fs::perms::owner_all);
}

}  // namespace
}  // namespace seoagents::testing
