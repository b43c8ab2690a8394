// Fresh random ids for new rows (see ids.hpp).
#include "storage/ids.hpp"

#include <stdexcept>

#include "core/random_id.hpp"

namespace seoagents::storage {

std::string fresh_id(Connection& db, std::string_view prefix, std::string_view exists_sql) {
  constexpr int kDraws = 16;
  for (int draw = 0; draw < kDraws; ++draw) {
    std::string id(prefix);
    id.append(secure_random_hex(4));
    Query taken = db.query(exists_sql);
    taken->bind(1, id);
    if (!taken->step()) return id;
  }
  throw std::runtime_error("no free id after 16 draws");
}

}  // namespace seoagents::storage
