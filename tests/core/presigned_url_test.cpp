// UrlSigner: presigned report URLs verify with the key that signed them, and any change to the
// path, the expiry or the signature (or another key) makes them invalid; past the expiry a
// genuine URL is expired, not invalid.
#include "core/presigned_url.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/master_key.hpp"

namespace seoagents {
namespace {

constexpr std::string_view kPath = "/v1/dashboard/reports/report-1a2b3c4d";
constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kExpires = kNow + 3600;

UrlSigner signer() {
  return UrlSigner(derive_key(std::string(32, '\x07'), "report-urls"));
}

// The expires and signature values of a signed URL.
struct Presented {
  std::string path;
  std::string expires;
  std::string signature;
};

Presented split(const std::string& url) {
  std::smatch m;
  static const std::regex kShape(R"(^([^?]+)\?expires=(\d+)&signature=([0-9a-f]{64})$)");
  EXPECT_TRUE(std::regex_match(url, m, kShape)) << url;
  if (m.empty()) return {};
  return {m[1], m[2], m[3]};
}

TEST(PresignedUrl, SignsThePathWithExpiryAndHexSignature) {
  Presented url = split(signer().sign(kPath, kExpires));
  EXPECT_EQ(url.path, kPath);
  EXPECT_EQ(url.expires, std::to_string(kExpires));
  EXPECT_EQ(signer().check(url.path, url.expires, url.signature, kNow), PresignedCheck::valid);
  // Deterministic: the same inputs sign the same.
  EXPECT_EQ(signer().sign(kPath, kExpires), signer().sign(kPath, kExpires));
}

TEST(PresignedUrl, RefusesATamperedSignature) {
  Presented url = split(signer().sign(kPath, kExpires));
  std::string changed = url.signature;
  changed[10] = changed[10] == 'a' ? 'b' : 'a';
  EXPECT_EQ(signer().check(kPath, url.expires, changed, kNow), PresignedCheck::invalid);
  std::string upper = url.signature;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != url.signature) {
    EXPECT_EQ(signer().check(kPath, url.expires, upper, kNow), PresignedCheck::invalid);
  }
  EXPECT_EQ(signer().check(kPath, url.expires, url.signature.substr(0, 63), kNow),
            PresignedCheck::invalid);
  EXPECT_EQ(signer().check(kPath, url.expires, "", kNow), PresignedCheck::invalid);
}

TEST(PresignedUrl, RefusesAnotherPath) {
  Presented url = split(signer().sign(kPath, kExpires));
  EXPECT_EQ(
      signer().check("/v1/dashboard/reports/report-1a2b3c4e", url.expires, url.signature, kNow),
      PresignedCheck::invalid);
  EXPECT_EQ(signer().check(std::string(kPath) + "/", url.expires, url.signature, kNow),
            PresignedCheck::invalid);
}

TEST(PresignedUrl, RefusesAnExtendedOrMalformedExpiry) {
  Presented url = split(signer().sign(kPath, kExpires));
  EXPECT_EQ(signer().check(kPath, std::to_string(kExpires + 1), url.signature, kNow),
            PresignedCheck::invalid);
  const std::vector<std::string> malformed{"",           "-1",  "0" + std::to_string(kExpires),
                                           "12a",        "1e9", "99999999999999999999",
                                           " 1800003600"};
  for (const std::string& bad : malformed) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(signer().check(kPath, bad, url.signature, kNow), PresignedCheck::invalid);
  }
}

TEST(PresignedUrl, ExpiresAtItsExpiry) {
  Presented url = split(signer().sign(kPath, kExpires));
  EXPECT_EQ(signer().check(kPath, url.expires, url.signature, kExpires - 1), PresignedCheck::valid);
  EXPECT_EQ(signer().check(kPath, url.expires, url.signature, kExpires), PresignedCheck::expired);
  EXPECT_EQ(signer().check(kPath, url.expires, url.signature, kExpires + 86400),
            PresignedCheck::expired);
}

TEST(PresignedUrl, AnotherKeyDoesNotVerify) {
  Presented url = split(signer().sign(kPath, kExpires));
  UrlSigner other(derive_key(std::string(32, '\x08'), "report-urls"));
  EXPECT_EQ(other.check(kPath, url.expires, url.signature, kNow), PresignedCheck::invalid);
  UrlSigner cursor_key(derive_key(std::string(32, '\x07'), "cursor"));
  EXPECT_EQ(cursor_key.check(kPath, url.expires, url.signature, kNow), PresignedCheck::invalid);
}

}  // namespace
}  // namespace seoagents
