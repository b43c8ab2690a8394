// Tests of the object store's filesystem backend on a real temporary directory: round trips,
// key rules, atomic replacement under concurrent writers, no temporary file left behind, file
// modes, and listing in key order.
#include "storage/object_store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_server.hpp"

namespace seoagents::storage {
namespace {

namespace fs = std::filesystem;

class ObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::make_temp_directory();
    root_ = directory_ + "/objects";
    store_ = std::make_unique<FilesystemObjectStore>(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(directory_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(directory_, ec);
  }

  void put_ok(std::string_view key, std::string_view bytes) {
    auto result = store_->put(key, bytes);
    ASSERT_TRUE(result.has_value()) << key << ": " << result.error().message;
  }

  std::string get_ok(std::string_view key) {
    auto result = store_->get(key, kDefaultMaxObjectBytes);
    EXPECT_TRUE(result.has_value()) << key << ": " << result.error().message;
    return result ? *result : std::string();
  }

  // Every file under the root whose name marks it as temporary.
  std::vector<std::string> temp_files() const {
    std::vector<std::string> found;
    if (!fs::exists(directory_)) return found;
    for (const auto& entry : fs::recursive_directory_iterator(directory_)) {
      if (entry.path().filename().string().starts_with(".tmp-")) {
        found.push_back(entry.path().string());
      }
    }
    return found;
  }

  std::vector<std::string> list_all(std::string_view prefix) {
    auto listing = store_->list(prefix, kMaxObjectListLimit, "");
    EXPECT_TRUE(listing.has_value()) << listing.error().message;
    return listing ? listing->keys : std::vector<std::string>{};
  }

  static unsigned mode_of(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) return 0;
    return status.st_mode & 0777;
  }

  std::string directory_;
  std::string root_;
  std::unique_ptr<FilesystemObjectStore> store_;
};

// ---------------------------------------------------------------------------------------------
// Round trips

TEST_F(ObjectStoreTest, PutThenGetReturnsTheBytes) {
  put_ok("accounts/acct-1/articles/art-1/body.html", "<h1>Trade show booths</h1>");
  EXPECT_EQ(get_ok("accounts/acct-1/articles/art-1/body.html"), "<h1>Trade show booths</h1>");
  EXPECT_TRUE(fs::is_regular_file(root_ + "/accounts/acct-1/articles/art-1/body.html"))
      << "a key is a path under the root";
}

TEST_F(ObjectStoreTest, PutReplacesTheWholeObject) {
  put_ok("reports/r.json", std::string(10'000, 'x'));
  put_ok("reports/r.json", "short");
  EXPECT_EQ(get_ok("reports/r.json"), "short");
  put_ok("reports/r.json", std::string(20'000, 'y'));
  EXPECT_EQ(get_ok("reports/r.json"), std::string(20'000, 'y'));
}

TEST_F(ObjectStoreTest, BinaryBytesWithNulRoundTrip) {
  std::string bytes;
  for (int round = 0; round < 4096; ++round) {
    for (int b = 0; b < 256; ++b)
      bytes.push_back(static_cast<char>((b + round) & 0xFF));
  }
  bytes.insert(0, std::string("\0\0", 2));
  put_ok("blobs/all-bytes.bin", bytes);
  std::string read = get_ok("blobs/all-bytes.bin");
  EXPECT_EQ(read.size(), bytes.size());
  EXPECT_TRUE(read == bytes);
}

TEST_F(ObjectStoreTest, AnEmptyObjectIsAnObject) {
  put_ok("empty.txt", "");
  auto read = store_->get("empty.txt", kDefaultMaxObjectBytes);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, "");
  auto info = store_->head("empty.txt");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, 0u);
}

TEST_F(ObjectStoreTest, EverySafeCharacterIsAllowed) {
  std::string key = "Az09!-_.*'()/a..b/x.y.z";
  put_ok(key, "ok");
  EXPECT_EQ(get_ok(key), "ok");
}

TEST_F(ObjectStoreTest, TheLongestKeysAndSegmentsAreAllowed) {
  std::string segment(kMaxObjectKeySegmentBytes, 's');
  put_ok(segment, "one segment");
  EXPECT_EQ(get_ok(segment), "one segment");

  std::string key;
  while (key.size() + 201 <= kMaxObjectKeyBytes)
    key += std::string(200, 'k') + "/";
  key += std::string(kMaxObjectKeyBytes - key.size(), 'e');
  ASSERT_EQ(key.size(), kMaxObjectKeyBytes);
  put_ok(key, "longest");
  EXPECT_EQ(get_ok(key), "longest");
}

TEST_F(ObjectStoreTest, TheRootHasNoTrailingSlashIssue) {
  FilesystemObjectStore slashed(root_ + "//");
  EXPECT_EQ(slashed.root(), root_);
  ASSERT_TRUE(slashed.put("a/b", "x").has_value());
  EXPECT_EQ(get_ok("a/b"), "x");
}

// ---------------------------------------------------------------------------------------------
// Missing objects, head, remove, size limit

TEST_F(ObjectStoreTest, AMissingKeyIsNotFound) {
  put_ok("a/b/c.md", "x");
  for (std::string_view key : {"a/b/d.md", "a/b", "a", "x/y/z", "a/b/c.md/d"}) {
    SCOPED_TRACE(std::string(key));
    auto read = store_->get(key, kDefaultMaxObjectBytes);
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().kind, ObjectError::Kind::not_found);
    auto info = store_->head(key);
    ASSERT_FALSE(info.has_value());
    EXPECT_EQ(info.error().kind, ObjectError::Kind::not_found);
  }
}

TEST_F(ObjectStoreTest, NothingIsFoundBeforeTheFirstPut) {
  auto read = store_->get("a", kDefaultMaxObjectBytes);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().kind, ObjectError::Kind::not_found);
  EXPECT_TRUE(list_all("").empty());
  EXPECT_FALSE(fs::exists(root_)) << "reads create nothing";
}

TEST_F(ObjectStoreTest, HeadGivesSizeAndTime) {
  struct timespec before {};
  ::clock_gettime(CLOCK_REALTIME, &before);
  put_ok("a/report.csv", "1,2,3\n");
  auto info = store_->head("a/report.csv");
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->size, 6u);
  // The file system's clock may be coarser than the system's: allow its granularity (1 s).
  EXPECT_GE(info->modified_at, static_cast<std::int64_t>(before.tv_sec) * 1000 - 1000);
}

TEST_F(ObjectStoreTest, RemoveDeletesAndRepeatingItSucceeds) {
  put_ok("a/b/one.md", "1");
  put_ok("a/b/two.md", "2");
  ASSERT_TRUE(store_->remove("a/b/one.md").has_value());
  EXPECT_EQ(store_->get("a/b/one.md", 100).error().kind, ObjectError::Kind::not_found);
  EXPECT_EQ(get_ok("a/b/two.md"), "2");
  EXPECT_TRUE(store_->remove("a/b/one.md").has_value()) << "removing again is not an error";
  EXPECT_TRUE(store_->remove("never/there").has_value());
  EXPECT_TRUE(store_->remove("a/b").has_value()) << "a directory of keys is no object";
  EXPECT_EQ(get_ok("a/b/two.md"), "2");
  EXPECT_EQ(list_all(""), std::vector<std::string>{"a/b/two.md"});
}

TEST_F(ObjectStoreTest, GetRefusesObjectsLargerThanItsLimit) {
  put_ok("big.txt", std::string(1000, 'b'));
  auto read = store_->get("big.txt", 999);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().kind, ObjectError::Kind::too_large);
  auto exact = store_->get("big.txt", 1000);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->size(), 1000u);
  EXPECT_FALSE(store_->get("big.txt", 0).has_value());
}

// ---------------------------------------------------------------------------------------------
// Key rules

struct InvalidKey {
  std::string what;
  std::string key;
};

std::vector<InvalidKey> invalid_keys() {
  return {
      {"empty", ""},
      {"too long", std::string(kMaxObjectKeyBytes + 1, 'a')},
      {"segment too long", "a/" + std::string(kMaxObjectKeySegmentBytes + 1, 'a')},
      {"absolute", "/etc/passwd"},
      {"trailing slash", "a/b/"},
      {"double slash", "a//b"},
      {"only a slash", "/"},
      {"parent segment", ".."},
      {"parent inside", "a/../b"},
      {"escaping", "../../outside"},
      {"current segment", "a/./b"},
      {"dot", "."},
      {"hidden segment", ".hidden"},
      {"temporary file name", "a/.tmp-0123456789abcdef"},
      {"NUL", std::string("a\0b", 3)},
      {"trailing NUL", std::string("a/b\0", 4)},
      {"control character", "a\x01z"},
      {"newline", "a/b\nc"},
      {"tab", "a\tb"},
      {"DEL", "a\x7f"},
      {"backslash", "a\\b"},
      {"backslash parent", "..\\x"},
      {"space", "a b"},
      {"non-ASCII", "caf\xc3\xa9"},
      {"percent", "a%2e%2e"},
      {"question mark", "a?b"},
      {"hash", "a#b"},
      {"colon", "c:x"},
      {"tilde", "~user"},
  };
}

TEST_F(ObjectStoreTest, InvalidKeysAreRefusedByEveryCall) {
  for (const InvalidKey& invalid : invalid_keys()) {
    SCOPED_TRACE(invalid.what);
    auto checked = check_object_key(invalid.key);
    ASSERT_FALSE(checked.has_value());
    EXPECT_EQ(checked.error().kind, ObjectError::Kind::invalid_key);
    EXPECT_FALSE(checked.error().message.empty());
    auto put = store_->put(invalid.key, "x");
    ASSERT_FALSE(put.has_value());
    EXPECT_EQ(put.error().kind, ObjectError::Kind::invalid_key);
    auto get = store_->get(invalid.key, 100);
    ASSERT_FALSE(get.has_value());
    EXPECT_EQ(get.error().kind, ObjectError::Kind::invalid_key);
    auto head = store_->head(invalid.key);
    ASSERT_FALSE(head.has_value());
    EXPECT_EQ(head.error().kind, ObjectError::Kind::invalid_key);
    auto remove = store_->remove(invalid.key);
    ASSERT_FALSE(remove.has_value());
    EXPECT_EQ(remove.error().kind, ObjectError::Kind::invalid_key);
  }
  EXPECT_FALSE(fs::exists(root_)) << "nothing was written";
  EXPECT_FALSE(fs::exists(directory_ + "/outside"));
}

TEST_F(ObjectStoreTest, InvalidListPrefixesAreRefused) {
  for (std::string_view prefix : {"../", "a/../", "/a", "a//", "./", ".tmp-x/", "a\\b"}) {
    SCOPED_TRACE(std::string(prefix));
    auto listing = store_->list(prefix, 10, "");
    ASSERT_FALSE(listing.has_value());
    EXPECT_EQ(listing.error().kind, ObjectError::Kind::invalid_key);
  }
  EXPECT_FALSE(store_->list(std::string(kMaxObjectKeyBytes + 1, 'a'), 10, "").has_value());
}

// ---------------------------------------------------------------------------------------------
// Atomic writes: modes, temporary files, failures

TEST_F(ObjectStoreTest, ObjectsAreOwnerOnlyFilesInOwnerOnlyDirectories) {
  put_ok("a/b/c.html", "secret");
  EXPECT_EQ(mode_of(root_ + "/a/b/c.html"), 0600u);
  EXPECT_EQ(mode_of(root_ + "/a/b"), 0700u);
  EXPECT_EQ(mode_of(root_ + "/a"), 0700u);
  EXPECT_EQ(mode_of(root_), 0700u);
  put_ok("a/b/c.html", "replaced");
  EXPECT_EQ(mode_of(root_ + "/a/b/c.html"), 0600u) << "a replacement is a new 0600 file";
}

TEST_F(ObjectStoreTest, NoTemporaryFileIsLeftAfterPuts) {
  for (int i = 0; i < 20; ++i)
    put_ok("a/b/object-" + std::to_string(i % 4), std::string(i * 100, 'z'));
  EXPECT_TRUE(temp_files().empty());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root_ + "/a/b"))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"object-0", "object-1", "object-2", "object-3"}));
}

TEST_F(ObjectStoreTest, AKeyBelowAnObjectIsAConflictAndLeavesNothing) {
  put_ok("a/b", "file");
  auto result = store_->put("a/b/c", "below a file");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ObjectError::Kind::conflict) << result.error().message;
  result = store_->put("a/b/c/d/e", "deeper");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ObjectError::Kind::conflict) << result.error().message;
  EXPECT_EQ(get_ok("a/b"), "file");
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(ObjectStoreTest, AKeyOverOtherKeysFailsAfterWritingAndLeavesNoTemporaryFile) {
  // The temporary file is written and synced; the rename onto a directory then fails.
  put_ok("a/b/c", "inside");
  auto result = store_->put("a/b", std::string(100'000, 'w'));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ObjectError::Kind::conflict) << result.error().message;
  EXPECT_TRUE(temp_files().empty());
  EXPECT_EQ(get_ok("a/b/c"), "inside");
  EXPECT_EQ(store_->get("a/b", 10).error().kind, ObjectError::Kind::not_found);
  EXPECT_EQ(list_all(""), std::vector<std::string>{"a/b/c"});
}

TEST_F(ObjectStoreTest, ARootThatIsAFileIsAnIoErrorNamingTheCause) {
  { std::ofstream(root_) << "not a directory"; }
  auto result = store_->put("a/b", "x");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ObjectError::Kind::io);
  EXPECT_NE(result.error().message.find("Not a directory"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(ObjectStoreTest, AReadOnlyDirectoryIsAnIoErrorAndLeavesNothing) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  put_ok("a/old", "old");
  fs::permissions(root_ + "/a", fs::perms::owner_read | fs::perms::owner_exec,
                  fs::perm_options::replace);
  auto result = store_->put("a/old", "new");
  fs::permissions(root_ + "/a", fs::perms::owner_all, fs::perm_options::replace);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ObjectError::Kind::io);
  EXPECT_NE(result.error().message.find("Permission denied"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(get_ok("a/old"), "old");
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(ObjectStoreTest, TemporaryFilesLeftByACrashAreNeverObjects) {
  put_ok("a/real", "real");
  // What a crash between create and rename leaves behind.
  std::string stray = root_ + "/a/.tmp-0123456789abcdef";
  { std::ofstream(stray) << "half writ"; }
  EXPECT_EQ(list_all(""), std::vector<std::string>{"a/real"});
  EXPECT_EQ(list_all("a/"), std::vector<std::string>{"a/real"});
  EXPECT_EQ(store_->get("a/.tmp-0123456789abcdef", 100).error().kind,
            ObjectError::Kind::invalid_key);
  put_ok("a/real", "again");
  EXPECT_TRUE(fs::exists(stray)) << "a put touches only its own temporary file";
}

// ---------------------------------------------------------------------------------------------
// Concurrency

TEST_F(ObjectStoreTest, ConcurrentWritersOfOneKeyLeaveOneCompleteVersion) {
  // Each writer's versions are one repeated letter, a different length per writer: a mixed or
  // partial object would show two letters or a wrong length.
  constexpr int kWriters = 4;
  constexpr int kPutsEach = 15;
  auto version = [](int writer) {
    return std::string(40'000 + writer * 7'919, static_cast<char>('A' + writer));
  };
  auto is_a_version = [&](const std::string& bytes) {
    if (bytes.empty()) return false;
    int writer = bytes[0] - 'A';
    return writer >= 0 && writer < kWriters && bytes == version(writer);
  };
  put_ok("shared/key", version(0));

  std::atomic<int> writers_left{kWriters};
  std::atomic<int> failures{0};
  std::atomic<int> torn_reads{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      for (int i = 0; i < kPutsEach; ++i) {
        if (!store_->put("shared/key", version(writer))) ++failures;
      }
      --writers_left;
    });
  }
  int reads = 0;
  while (writers_left.load() > 0 || reads == 0) {
    auto read = store_->get("shared/key", kDefaultMaxObjectBytes);
    if (!read || !is_a_version(*read)) ++torn_reads;
    ++reads;
  }
  for (auto& thread : threads)
    thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn_reads.load(), 0) << "of " << reads << " reads";
  EXPECT_TRUE(is_a_version(get_ok("shared/key")));
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(ObjectStoreTest, ConcurrentWritersCreateSharedDirectories) {
  constexpr int kWriters = 4;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      for (int i = 0; i < 10; ++i) {
        std::string key =
            "accounts/acct-" + std::to_string(i) + "/articles/w" + std::to_string(writer) + ".md";
        if (!store_->put(key, key)) ++failures;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(list_all("accounts/").size(), static_cast<std::size_t>(kWriters * 10));
  EXPECT_EQ(get_ok("accounts/acct-7/articles/w2.md"), "accounts/acct-7/articles/w2.md");
}

// ---------------------------------------------------------------------------------------------
// Listing

TEST_F(ObjectStoreTest, ListIsInByteOrderOfTheWholeKey) {
  // '-' < '.' < '/' < '0': a file "a-c" sorts before the keys of directory "a/".
  for (std::string_view key : {"a/b", "a-c", "a.x", "a0", "a/a/z", "b", "A", "a/b0"})
    put_ok(key, "x");
  std::vector<std::string> expected = {"A", "a-c", "a.x", "a/a/z", "a/b", "a/b0", "a0", "b"};
  EXPECT_EQ(list_all(""), expected);
}

TEST_F(ObjectStoreTest, ListFiltersByAnyPrefix) {
  for (std::string_view key :
       {"accounts/acct-1/articles/art-1/body.html", "accounts/acct-1/articles/art-2/body.html",
        "accounts/acct-1/reports/audit.json", "accounts/acct-10/articles/art-1/body.html",
        "accounts/acct-2/articles/art-1/body.html"})
    put_ok(key, "x");
  EXPECT_EQ(list_all("accounts/acct-1/"),
            (std::vector<std::string>{"accounts/acct-1/articles/art-1/body.html",
                                      "accounts/acct-1/articles/art-2/body.html",
                                      "accounts/acct-1/reports/audit.json"}));
  EXPECT_EQ(list_all("accounts/acct-1").size(), 4u) << "a partial segment matches acct-10 too";
  EXPECT_EQ(list_all("accounts/acct-1/art"),
            (std::vector<std::string>{"accounts/acct-1/articles/art-1/body.html",
                                      "accounts/acct-1/articles/art-2/body.html"}));
  EXPECT_EQ(list_all("accounts/acct-1/reports/audit.json"),
            std::vector<std::string>{"accounts/acct-1/reports/audit.json"});
  EXPECT_TRUE(list_all("accounts/acct-3/").empty());
  EXPECT_TRUE(list_all("accounts/acct-1/reports/audit.json/").empty());
  EXPECT_TRUE(list_all("nothing").empty());
  EXPECT_EQ(list_all("").size(), 5u);
}

TEST_F(ObjectStoreTest, ListPagesWithStartAfterAndSaysWhenTruncated) {
  std::vector<std::string> keys;
  for (int i = 0; i < 23; ++i) {
    std::string key = "p/" + std::to_string(i % 3) + "/k" + std::to_string(i);
    put_ok(key, "x");
    keys.push_back(key);
  }
  put_ok("q/outside", "x");
  std::sort(keys.begin(), keys.end());

  std::vector<std::string> seen;
  std::string after;
  for (int page = 0; page < 100; ++page) {
    auto listing = store_->list("p/", 4, after);
    ASSERT_TRUE(listing.has_value()) << listing.error().message;
    ASSERT_LE(listing->keys.size(), 4u);
    seen.insert(seen.end(), listing->keys.begin(), listing->keys.end());
    if (!listing->truncated) break;
    ASSERT_EQ(listing->keys.size(), 4u);
    after = listing->keys.back();
  }
  EXPECT_EQ(seen, keys);

  auto exact = store_->list("p/", 23, "");
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->keys.size(), 23u);
  EXPECT_FALSE(exact->truncated) << "exactly the limit is not truncated";
  auto none = store_->list("p/", 0, "");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->keys.empty());
  EXPECT_TRUE(none->truncated);
  auto past = store_->list("p/", 10, "p/~");
  ASSERT_TRUE(past.has_value());
  EXPECT_TRUE(past->keys.empty());
  EXPECT_FALSE(past->truncated);
}

// ---------------------------------------------------------------------------------------------
// Content types

TEST(ObjectContentTypeTest, FollowsTheExtension) {
  EXPECT_EQ(content_type_for_key("a/body.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for_key("articles/agent-1/post.md"), "text/markdown; charset=utf-8");
  EXPECT_EQ(content_type_for_key("r/audit.json"), "application/json");
  EXPECT_EQ(content_type_for_key("r/x.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type_for_key("notes.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for_key("sitemap.xml"), "application/xml");
  EXPECT_EQ(content_type_for_key("a/b.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for_key("a/html"), "application/octet-stream");
  EXPECT_EQ(content_type_for_key("a/b.HTML"), "application/octet-stream");
}

TEST(ObjectStoreInApp, TheServerKeepsObjectsUnderTheDataDirectory) {
  testing::TestServer server;
  ASSERT_TRUE(
      server.app().objects().put("articles/agent-1a2b3c4d/intro.md", "# Intro").has_value());
  std::ifstream file(server.app().config().data_dir + "/objects/articles/agent-1a2b3c4d/intro.md");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "# Intro");
}

}  // namespace
}  // namespace seoagents::storage
