// The schema, as a list of forward-only migrations. PRAGMA user_version records how far a
// database has come; each pending migration runs in its own transaction at start.
#pragma once

#include <span>
#include <string_view>

#include "core/log.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> migrations();

// The version the newest migration brings a database to.
int latest_schema_version();

// Brings the database up to the latest version. Throws std::runtime_error when the database is
// newer than this binary knows: refusing is the only safe thing to do.
void migrate(Connection& connection, Logger& logger);

// The database's current version.
int schema_version(Connection& connection);

}  // namespace seoagents::storage
