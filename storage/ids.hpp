// Fresh random ids for new rows ("agent-" + 8 hex): 32 random bits, so at a million rows a new
// id meets an existing one about once in 4,000 inserts; the id is drawn again until it is free.
#pragma once

#include <string>
#include <string_view>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

// `prefix` + 8 random hex digits that `exists_sql` (one parameter, the id; a row when taken)
// does not find. Throws std::runtime_error if 16 draws in a row were all taken.
std::string fresh_id(Connection& db, std::string_view prefix, std::string_view exists_sql);

}  // namespace seoagents::storage
