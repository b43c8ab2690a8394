// Tests of the master key: created once as <data>/master.key (0600), read back, overridden by env.
#include "core/master_key.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tests/support/test_server.hpp"

namespace seoagents {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHexKey =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

EnvLookup environment(std::map<std::string, std::string> variables = {}) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

std::string hex_of(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
}

// The message of the std::runtime_error `load` throws, or "" when it throws none.
template <class Load>
std::string error_of(Load&& load) {
  try {
    load();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override { directory_ = testing::make_temp_directory(); }
  void TearDown() override { fs::remove_all(directory_); }
  std::string key_file() const { return directory_ + "/master.key"; }

  std::string directory_;
};

TEST_F(MasterKeyTest, FirstLoadCreatesAnOwnerOnlyFileOf64HexCharactersAndANewline) {
  ASSERT_FALSE(fs::exists(key_file()));
  std::string key = load_master_key(directory_, environment());
  EXPECT_EQ(key.size(), 32u);
  ASSERT_TRUE(fs::exists(key_file()));

  struct stat info {};
  ASSERT_EQ(::stat(key_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << std::oct << (info.st_mode & 0777);

  std::string content = read_file(key_file());
  EXPECT_TRUE(std::regex_match(content, std::regex("^[0-9a-f]{64}\n$"))) << content;
  EXPECT_EQ(content, hex_of(key) + "\n");
}

TEST_F(MasterKeyTest, LaterLoadsReturnTheSameBytes) {
  std::string first = load_master_key(directory_, environment());
  std::string content = read_file(key_file());
  std::string second = load_master_key(directory_, environment());
  std::string third = load_master_key(directory_, environment());
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, third);
  EXPECT_EQ(read_file(key_file()), content) << "the file was rewritten";
}

TEST_F(MasterKeyTest, EachNewDirectoryGetsADifferentKey) {
  std::string other = testing::make_temp_directory();
  std::string a = load_master_key(directory_, environment());
  std::string b = load_master_key(other, environment());
  fs::remove_all(other);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(32, '\0'));
}

TEST_F(MasterKeyTest, AnExistingFileIsRead) {
  write_file(key_file(), std::string(kHexKey) + "\n");
  std::string key = load_master_key(directory_, environment());
  EXPECT_EQ(hex_of(key), kHexKey);
}

TEST_F(MasterKeyTest, TheEnvironmentVariableWinsOverTheFile) {
  std::string from_file = load_master_key(directory_, environment());
  std::string from_env =
      load_master_key(directory_, environment({{"SEOAGENTS_MASTER_KEY", std::string(kHexKey)}}));
  EXPECT_EQ(hex_of(from_env), kHexKey);
  EXPECT_NE(from_env, from_file);
}

TEST_F(MasterKeyTest, TheEnvironmentVariableAcceptsUpperCaseHex) {
  std::string upper = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
  std::string key = load_master_key(directory_, environment({{"SEOAGENTS_MASTER_KEY", upper}}));
  EXPECT_EQ(hex_of(key), kHexKey);
}

TEST_F(MasterKeyTest, WithTheEnvironmentVariableNoFileIsCreated) {
  load_master_key(directory_, environment({{"SEOAGENTS_MASTER_KEY", std::string(kHexKey)}}));
  EXPECT_FALSE(fs::exists(key_file()));
}

TEST_F(MasterKeyTest, AMalformedEnvironmentVariableIsAClearError) {
  std::string valid(kHexKey);
  for (const std::string& bad :
       {std::string(), valid.substr(0, 63), valid + "0", valid.substr(0, 62) + "zz",
        valid.substr(0, 62) + " 1", std::string(64, 'g'), valid.substr(0, 32)}) {
    SCOPED_TRACE("value '" + bad + "'");
    std::string message = error_of([&] {
      load_master_key(directory_, environment({{"SEOAGENTS_MASTER_KEY", bad}}));
    });
    EXPECT_NE(message.find("SEOAGENTS_MASTER_KEY"), std::string::npos) << message;
    EXPECT_NE(message.find("64 hex"), std::string::npos) << message;
  }
  // A malformed variable is an error even when a valid file exists: no silent fallback.
  load_master_key(directory_, environment());
  std::string message = error_of([&] {
    load_master_key(directory_, environment({{"SEOAGENTS_MASTER_KEY", "short"}}));
  });
  EXPECT_NE(message.find("SEOAGENTS_MASTER_KEY"), std::string::npos) << message;
}

TEST_F(MasterKeyTest, ACorruptedFileIsAClearErrorNamingTheFile) {
  std::string valid(kHexKey);
  for (const std::string& content :
       {std::string("not a key\n"), std::string(), std::string("\n"), valid.substr(0, 63) + "\n",
        valid.substr(0, 62) + "xy\n", valid.substr(0, 32) + "\n", valid + "00\n"}) {
    SCOPED_TRACE("content '" + content + "'");
    write_file(key_file(), content);
    std::string message = error_of([&] { load_master_key(directory_, environment()); });
    EXPECT_NE(message.find(key_file()), std::string::npos) << message;
    EXPECT_NE(message.find("master key"), std::string::npos) << message;
    // The corrupted file is left for the operator, not replaced by a new key.
    EXPECT_EQ(read_file(key_file()), content);
  }
}

TEST_F(MasterKeyTest, AMissingDirectoryIsAClearErrorNamingTheFile) {
  std::string missing = directory_ + "/does/not/exist";
  std::string message = error_of([&] { load_master_key(missing, environment()); });
  EXPECT_NE(message.find(missing + "/master.key"), std::string::npos) << message;
}

TEST(DeriveKey, DiffersPerPurposeAndIsDeterministic) {
  std::string master(32, '\x42');
  std::string cursor = derive_key(master, "cursor");
  std::string secrets = derive_key(master, "secrets");
  EXPECT_EQ(cursor.size(), 32u);
  EXPECT_EQ(secrets.size(), 32u);
  EXPECT_NE(cursor, secrets);
  EXPECT_NE(cursor, derive_key(master, "Cursor"));
  EXPECT_NE(cursor, derive_key(master, ""));
  EXPECT_EQ(cursor, derive_key(master, "cursor"));
  EXPECT_NE(cursor, master);
}

TEST(DeriveKey, DiffersPerMasterKey) {
  std::string a(32, '\x01');
  std::string b(32, '\x02');
  EXPECT_NE(derive_key(a, "cursor"), derive_key(b, "cursor"));
}

}  // namespace
}  // namespace seoagents
