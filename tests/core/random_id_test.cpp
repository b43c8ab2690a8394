// Tests of identifiers: request ids (format, uniqueness) and CSPRNG hex strings and bytes.
#include "core/random_id.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <regex>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

namespace seoagents {
namespace {

const std::regex kRequestIdShape(R"(^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$)");

TEST(RequestId, HasTheDocumentedShape) {
  for (int i = 0; i < 1000; ++i) {
    std::string id = make_request_id();
    ASSERT_EQ(id.size(), 27u) << id;
    ASSERT_TRUE(std::regex_match(id, kRequestIdShape)) << id;
  }
}

TEST(RequestId, HundredThousandIdsAreUnique) {
  constexpr std::size_t kCount = 100'000;
  std::unordered_set<std::string> seen;
  seen.reserve(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    std::string id = make_request_id();
    ASSERT_TRUE(seen.insert(id).second) << "duplicate after " << i << " ids: " << id;
  }
  EXPECT_EQ(seen.size(), kCount);
}

TEST(RequestId, EveryHexPositionTakesEveryDigit) {
  // A constant or stuck field (say, a segment taken from the wrong bits) shows up here.
  std::array<std::set<char>, 27> digits;
  for (int i = 0; i < 20'000; ++i) {
    std::string id = make_request_id();
    ASSERT_EQ(id.size(), 27u);
    for (std::size_t k = 0; k < id.size(); ++k)
      digits[k].insert(id[k]);
  }
  for (std::size_t k = 4; k < 27; ++k) {
    if (k == 12 || k == 17 || k == 22) {
      EXPECT_EQ(digits[k], std::set<char>{'-'}) << "position " << k;
    } else {
      EXPECT_EQ(digits[k].size(), 16u) << "position " << k;
    }
  }
}

TEST(RequestId, ThreadsDoNotRepeatEachOther) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25'000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      ids[t].reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i)
        ids[t].push_back(make_request_id());
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  std::unordered_set<std::string> seen;
  for (const auto& list : ids) {
    for (const std::string& id : list) {
      ASSERT_TRUE(std::regex_match(id, kRequestIdShape)) << id;
      ASSERT_TRUE(seen.insert(id).second) << "duplicate across threads: " << id;
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(SecureRandomHex, LengthIsTwiceTheBytesAndLowercaseHex) {
  const std::regex hex("^[0-9a-f]*$");
  for (std::size_t bytes : {0u, 1u, 16u, 32u, 33u, 1000u}) {
    std::string text = secure_random_hex(bytes);
    EXPECT_EQ(text.size(), 2 * bytes);
    EXPECT_TRUE(std::regex_match(text, hex)) << text;
  }
  EXPECT_EQ(secure_random_hex(0), "");
}

TEST(SecureRandomHex, ValuesAreUniqueAndUseEveryDigit) {
  std::unordered_set<std::string> seen;
  std::set<char> digits;
  for (int i = 0; i < 10'000; ++i) {
    std::string text = secure_random_hex(16);
    ASSERT_TRUE(seen.insert(text).second) << text;
    digits.insert(text.begin(), text.end());
  }
  EXPECT_EQ(digits.size(), 16u);
}

TEST(SecureRandomBytes, FillsTheWholeBuffer) {
  // Each of 64 positions is zero in all of 8 fills with probability 2^-64.
  std::array<unsigned char, 64> seen_nonzero{};
  for (int round = 0; round < 8; ++round) {
    std::array<unsigned char, 64> buffer{};
    secure_random_bytes(buffer);
    for (std::size_t i = 0; i < buffer.size(); ++i)
      seen_nonzero[i] |= buffer[i];
  }
  EXPECT_TRUE(std::all_of(seen_nonzero.begin(), seen_nonzero.end(),
                          [](unsigned char c) { return c != 0; }));
  std::vector<unsigned char> empty;
  EXPECT_NO_THROW(secure_random_bytes(empty));
}

}  // namespace
}  // namespace seoagents
