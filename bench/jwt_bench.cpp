// Microbenchmarks of JWT verification, the per-request cost of `Authorization: Bearer`: a valid
// Cognito-shaped ID token, and the cheapest refusal (an unknown kid) for comparison.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <string>

#include "core/jwks.hpp"
#include "core/jwt.hpp"

namespace seoagents {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

struct Fixture {
  Jwks keys;
  JwtOptions options;
  std::string valid_token;
  std::string unknown_kid_token;
};

template <class T>
T checked(Expected<T, std::string> result) {
  if (!result) throw std::runtime_error(result.error());
  return std::move(*result);
}

Fixture make_fixture() {
  Fixture fixture;
  std::string pem = checked(generate_rsa_key_pem());
  fixture.keys = checked(Jwks::parse(checked(jwks_for_private_key(pem, "key-1"))));
  fixture.options.issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
  fixture.options.audience = "3n4b5urk1ft4fl3mg5e62d9ado";
  boost::json::object claims{{"sub", "5d6e7f80-aaaa-bbbb-cccc-0123456789ab"},
                             {"iss", fixture.options.issuer},
                             {"aud", fixture.options.audience},
                             {"token_use", "id"},
                             {"auth_time", kNow - 20},
                             {"iat", kNow - 10},
                             {"exp", kNow + 3600},
                             {"email", "editor@example.com"},
                             {"custom:plan", "agency"}};
  fixture.valid_token = checked(mint_token(pem, "key-1", claims));
  fixture.unknown_kid_token = checked(mint_token(pem, "key-2", claims));
  return fixture;
}

const Fixture& fixture() {
  static const Fixture instance = make_fixture();
  return instance;
}

void BM_JwtVerifyValidIdToken(benchmark::State& state) {
  const Fixture& f = fixture();
  if (!verify_jwt(f.valid_token, f.keys, f.options, kNow)) state.SkipWithError("token refused");
  for (auto _ : state) {
    benchmark::DoNotOptimize(verify_jwt(f.valid_token, f.keys, f.options, kNow));
  }
}
BENCHMARK(BM_JwtVerifyValidIdToken);

void BM_JwtRefuseUnknownKid(benchmark::State& state) {
  const Fixture& f = fixture();
  for (auto _ : state) {
    benchmark::DoNotOptimize(verify_jwt(f.unknown_kid_token, f.keys, f.options, kNow));
  }
}
BENCHMARK(BM_JwtRefuseUnknownKid);

}  // namespace
}  // namespace seoagents
