// Tests of fresh row ids: the shape, and that a taken id is drawn again.
#include "storage/ids.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace seoagents::storage {
namespace {

constexpr std::string_view kCreateTable = "CREATE TABLE things (id TEXT PRIMARY KEY)";
constexpr std::string_view kInsertThing = "INSERT INTO things (id) VALUES (?)";
constexpr std::string_view kThingTaken = "SELECT 1 FROM things WHERE id = ?";
// Finds a row for any id: every draw is taken.
constexpr std::string_view kEverythingTaken = "SELECT 1 WHERE ?1 IS NOT NULL";

TEST(FreshId, HasThePrefixAndEightHexDigits) {
  Connection db(":memory:", Connection::Mode::read_write);
  db.exec(kCreateTable);
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    std::string id = fresh_id(db, "thing-", kThingTaken);
    EXPECT_TRUE(std::regex_match(id, std::regex("^thing-[0-9a-f]{8}$"))) << id;
    db.query(kInsertThing)->bind(1, id).run();
    EXPECT_TRUE(ids.insert(id).second) << "a taken id was handed out: " << id;
  }
}

TEST(FreshId, GivesUpWhenEveryDrawIsTaken) {
  Connection db(":memory:", Connection::Mode::read_write);
  EXPECT_THROW(fresh_id(db, "thing-", kEverythingTaken), std::runtime_error);
}

}  // namespace
}  // namespace seoagents::storage
