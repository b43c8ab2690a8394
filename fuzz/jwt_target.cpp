// Fuzz target: JWT parsing and verification (core/jwt.hpp) against a fixed JWKS. The corpus holds
// tokens signed with that key's (discarded) private key, so mutations reach the signature and
// claim checks, and tokens with alg none / HS256 / missing parts.
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "fuzz/targets.hpp"

namespace seoagents::fuzz {
namespace {

constexpr std::string_view kJwks =
    R"json({"keys":[{"kty":"RSA","kid":"seoagents-41489de7","use":"sig","alg":"RS256","n":"uES2xqU23ixHhtXwb17eI-yg4tsp3xit7KVzRcPMLjsnGk87jqmSQlhGV5Z_xSXniZQ2dsDm56wKX2iQdamCZMegUJ8U9Kt4QcoNpMksEkzOjw33EAFKfBy0UNpGu_wdPhxlLGhzMcUD41nL1_EKzV-o05w80-LgTyVfsmtQMrk-KXfsnb53vH6pDlrB1B9_YGFpJ4FBHO5btiWFj-4hiQOq_7ojcdcTlxAkbA4KRA5NduGO69OP7XNfjLnWPdPB_pSPLzTqqU_ppAdUxPSwg9iaP2DVoV23pFazrXIJysSE65Gkmn0KbaiC_VuUHb_5Tu9gr611Nk8o9T82gNPqgw","e":"AQAB"}]})json";

const Jwks& keys() {
  static const auto parsed = Jwks::parse(kJwks);
  return *parsed;
}

}  // namespace

int jwt(const std::uint8_t* data, std::size_t size) {
  JwtOptions options;
  options.issuer = "https://issuer.example";
  options.audience = "fuzz";
  options.accept_access_tokens = true;
  // A fixed clock: the corpus tokens are valid at this instant (2026-11-29).
  constexpr std::int64_t kNow = 1'796'000'000;
  (void)verify_jwt(as_text(data, size), keys(), options, kNow);
  return 0;
}

}  // namespace seoagents::fuzz
