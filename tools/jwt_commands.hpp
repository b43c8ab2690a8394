// `seoagents jwt keygen|mint`: a local RSA key and JWKS, and ID tokens signed with it, so the
// bearer-token path can be used and tested without Cognito.
#pragma once

#include <string>
#include <vector>

namespace seoagents {

// Usage lines of the jwt commands.
const char* jwt_usage();

// Runs `seoagents jwt ...`; returns the exit code (0 done, 1 failed, 2 usage error).
int run_jwt_command(const std::vector<std::string>& args);

}  // namespace seoagents
