// Tests of the crypto primitives: SHA-256, HMAC-SHA256, base62, base64url, constant-time compare.
#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <regex>
#include <string>
#include <vector>

namespace seoagents {
namespace {

std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return bytes;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xF];
  }
  return hex;
}

TEST(Crypto, Sha256HexOfKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Sha256HexHashesEmbeddedNulBytes) {
  std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
  EXPECT_EQ(sha256_hex(with_nul).size(), 64u);
}

TEST(Crypto, HmacSha256Rfc4231TestCase2) {
  std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  ASSERT_EQ(mac.size(), 32u);
  EXPECT_EQ(to_hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, HmacSha256Rfc4231TestCase1) {
  std::string key(20, '\x0b');
  EXPECT_EQ(to_hex(hmac_sha256(key, "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Crypto, Base62OfAllZeroBytesIs43Zeros) {
  std::array<unsigned char, 32> zeros{};
  EXPECT_EQ(base62_encode(zeros), std::string(43, '0'));
}

TEST(Crypto, Base62OfAllOnesIsTheLargest43DigitValue) {
  std::array<unsigned char, 32> ones{};
  ones.fill(0xFF);
  // 2^256 - 1 in base 62 (0-9, A-Z, a-z), computed independently.
  EXPECT_EQ(base62_encode(ones), "yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp1");
}

TEST(Crypto, Base62KnownValues) {
  std::array<unsigned char, 32> one{};
  one[31] = 1;
  std::string expected(42, '0');
  expected.push_back('1');
  EXPECT_EQ(base62_encode(one), expected);
  std::array<unsigned char, 32> counting{};
  for (std::size_t i = 0; i < counting.size(); ++i)
    counting[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(base62_encode(counting), "003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf");
}

TEST(Crypto, Base62Of32BytesIsAlways43AlphabetCharacters) {
  std::mt19937 random(20240607);
  static const std::regex kBase62(R"(^[0-9A-Za-z]{43}$)");
  for (int round = 0; round < 500; ++round) {
    std::array<unsigned char, 32> bytes{};
    for (auto& byte : bytes)
      byte = static_cast<unsigned char>(random() & 0xFF);
    if (round % 3 == 0) bytes[0] = 0;  // leading zero bytes still give 43 characters
    std::string text = base62_encode(bytes);
    EXPECT_TRUE(std::regex_match(text, kBase62)) << text;
  }
}

TEST(Crypto, Base62IsInjectiveOnSmallChanges) {
  std::array<unsigned char, 32> a{};
  std::array<unsigned char, 32> b{};
  b[0] = 1;
  std::array<unsigned char, 32> c{};
  c[31] = 2;
  EXPECT_NE(base62_encode(a), base62_encode(b));
  EXPECT_NE(base62_encode(a), base62_encode(c));
  EXPECT_NE(base62_encode(b), base62_encode(c));
}

TEST(Crypto, Base64UrlRfc4648Vectors) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  // The URL alphabet: '-' and '_' where standard base64 has '+' and '/'.
  EXPECT_EQ(base64url_encode(from_hex("fbff")), "-_8");
  EXPECT_EQ(base64url_encode(from_hex("fbefbe")), "----");
  EXPECT_EQ(base64url_encode(from_hex("fbffbf")), "-_-_");
}

TEST(Crypto, Base64UrlRoundTripsEveryLengthFrom0To40) {
  std::mt19937 random(7);
  static const std::regex kAlphabet(R"(^[A-Za-z0-9_-]*$)");
  for (std::size_t length = 0; length <= 40; ++length) {
    for (int pattern = 0; pattern < 4; ++pattern) {
      std::string bytes(length, '\0');
      for (std::size_t i = 0; i < length; ++i) {
        switch (pattern) {
          case 0:
            bytes[i] = static_cast<char>(random() & 0xFF);
            break;
          case 1:
            bytes[i] = '\0';
            break;
          case 2:
            bytes[i] = static_cast<char>(0xFF);
            break;
          default:
            bytes[i] = static_cast<char>(i * 37 + 11);
        }
      }
      std::string text = base64url_encode(bytes);
      SCOPED_TRACE("length " + std::to_string(length) + " pattern " + std::to_string(pattern));
      EXPECT_EQ(text.size(), (length * 4 + 2) / 3);
      EXPECT_TRUE(std::regex_match(text, kAlphabet)) << text;
      auto decoded = base64url_decode(text);
      ASSERT_TRUE(decoded.has_value()) << text;
      EXPECT_EQ(*decoded, bytes);
    }
  }
}

TEST(Crypto, Base64UrlDecodesKnownText) {
  EXPECT_EQ(base64url_decode("Zm9vYmFy"), std::optional<std::string>("foobar"));
  EXPECT_EQ(base64url_decode("Zm9vYg"), std::optional<std::string>("foob"));
  EXPECT_EQ(base64url_decode("-_8"), std::optional<std::string>(from_hex("fbff")));
  EXPECT_EQ(base64url_decode(""), std::optional<std::string>(""));
}

TEST(Crypto, Base64UrlRejectsPadding) {
  EXPECT_FALSE(base64url_decode("Zg==").has_value());
  EXPECT_FALSE(base64url_decode("Zm8=").has_value());
  EXPECT_FALSE(base64url_decode("=").has_value());
}

TEST(Crypto, Base64UrlRejectsTheStandardAlphabetsPlusAndSlash) {
  EXPECT_FALSE(base64url_decode("+_8").has_value());
  EXPECT_FALSE(base64url_decode("-/8").has_value());
  EXPECT_FALSE(base64url_decode("Zm9v+mFy").has_value());
  EXPECT_FALSE(base64url_decode("Zm9v/mFy").has_value());
}

TEST(Crypto, Base64UrlRejectsOtherCharacters) {
  for (std::string_view text : {"Zm9v YmFy", "Zm9v.mFy", "Zm9v\nYmFy", "Zm9v\xC3\xA9"}) {
    EXPECT_FALSE(base64url_decode(text).has_value()) << text;
  }
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)).has_value());
}

TEST(Crypto, Base64UrlRejectsALengthThatIsOneMoreThanAMultipleOfFour) {
  for (std::string_view text : {"A", "Zm9vY", "Zm9vYmFyA"}) {
    EXPECT_FALSE(base64url_decode(text).has_value()) << text;
  }
}

TEST(Crypto, Base64UrlRejectsNonZeroLeftoverBits) {
  // "Zg" is "f"; "Zh".."Zv" carry the same byte with non-zero trailing bits.
  EXPECT_TRUE(base64url_decode("Zg").has_value());
  for (std::string_view text : {"Zh", "Zi", "Zv", "Zm9", "Zm-", "Zm9vYh"}) {
    EXPECT_FALSE(base64url_decode(text).has_value()) << text;
  }
  // Every byte string has exactly one accepted encoding.
  EXPECT_TRUE(base64url_decode("Zm8").has_value());
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("secret-value", "secret-value"));
  EXPECT_FALSE(constant_time_equal("secret-value", "secret-valuf"));
  EXPECT_FALSE(constant_time_equal("secret-value", "Secret-value"));
  EXPECT_FALSE(constant_time_equal("secret", "secret-value"));
  EXPECT_FALSE(constant_time_equal("secret-value", "secret"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  EXPECT_TRUE(
      constant_time_equal(std::string_view("a\0b\xFF", 4), std::string_view("a\0b\xFF", 4)));
  EXPECT_FALSE(
      constant_time_equal(std::string_view("a\0b\xFF", 4), std::string_view("a\0c\xFF", 4)));
}

}  // namespace
}  // namespace seoagents
