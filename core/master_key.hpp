// The server's master key: 32 bytes from SEOAGENTS_MASTER_KEY (64 hex characters) or from
// <data>/master.key, generated with mode 0600 on first start. Secrets at rest are encrypted
// under keys derived from it, and cursors are signed with one.
#pragma once

#include <string>
#include <string_view>

#include "core/config.hpp"

namespace seoagents {

// Returns the 32 raw key bytes. Throws std::runtime_error with a message for the operator when
// the variable is malformed or the file cannot be read or created.
std::string load_master_key(const std::string& data_dir, const EnvLookup& env);

// A key for one purpose ("cursor", "secrets", …), derived from the master key.
std::string derive_key(std::string_view master_key, std::string_view purpose);

}  // namespace seoagents
