// Tests of keyset pagination itself: the composed SQL, the binding of a page, and read_page()
// on a small table with integer and text sort values full of ties.
#include "storage/keyset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace seoagents::storage {
namespace {

constexpr std::string_view kCreateItems =
    "CREATE TABLE items (id TEXT PRIMARY KEY, owner TEXT NOT NULL, n INTEGER NOT NULL, "
    "label TEXT NOT NULL)";
constexpr std::string_view kInsertItem =
    "INSERT INTO items (id, owner, n, label) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kSelectItemPage = "SELECT id, n, label FROM items WHERE owner = ?1";
constexpr std::string_view kSelectItemPageWithLabel =
    "SELECT id, n, label FROM items WHERE owner = ?1 AND label = ?2";

const KeysetStatements& item_pages() {
  static const KeysetStatements pages(kSelectItemPage, 1, {"n", "label"});
  return pages;
}

const KeysetStatements& labelled_item_pages() {
  static const KeysetStatements pages(kSelectItemPageWithLabel, 2, {"n"});
  return pages;
}

struct Item {
  std::string id;
  std::int64_t n;
  std::string label;
};

Item read_item(Statement& row) {
  return {std::string(row.text(0)), row.integer(1), std::string(row.text(2))};
}

std::vector<std::string> ids_of(const std::vector<Item>& items) {
  std::vector<std::string> ids;
  for (const Item& item : items)
    ids.push_back(item.id);
  return ids;
}

class KeysetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(kCreateItems);
    // 24 items of "me": n in 0..3 and labels in "a".."c", so every value is shared; ids are
    // inserted out of order. 5 items of "you" interleave with them.
    for (int i = 0; i < 24; ++i) {
      int scrambled = (i * 7) % 24;
      add(item_id(scrambled), "me", scrambled % 4, std::string(1, static_cast<char>('a' + i % 3)));
    }
    for (int i = 0; i < 5; ++i)
      add("item-" + std::to_string(i) + "x", "you", i % 4, "b");
  }

  static std::string item_id(int i) {
    std::string number = std::to_string(i);
    return "item-" + std::string(2 - number.size(), '0') + number;
  }

  void add(const std::string& id, const std::string& owner, std::int64_t n,
           const std::string& label) {
    db_.query(kInsertItem)->bind(1, id).bind(2, owner).bind(3, n).bind(4, label).run();
    if (owner == "me") items_.push_back({id, n, label});
  }

  std::vector<Item> page(std::string_view column, bool descending,
                         const std::optional<PagePosition>& after, std::size_t limit) {
    return read_page(db_, item_pages(), {"me"}, {column, descending, after, limit}, read_item);
  }

  // "me"'s ids ordered by (column, id).
  std::vector<std::string> expected(std::string_view column, bool descending) {
    std::vector<Item> items = items_;
    std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
      if (column == "n" && a.n != b.n) return a.n < b.n;
      if (column == "label" && a.label != b.label) return a.label < b.label;
      return a.id < b.id;
    });
    if (descending) std::reverse(items.begin(), items.end());
    return ids_of(items);
  }

  static PagePosition position(const Item& item, std::string_view column) {
    if (column == "n") return {item.n, item.id};
    return {item.label, item.id};
  }

  Connection db_{":memory:", Connection::Mode::read_write};
  std::vector<Item> items_;
};

TEST(KeysetStatementsTest, ComposesTheFirstAndLaterPagesOfEachOrder) {
  const KeysetStatements& pages = item_pages();
  EXPECT_EQ(pages.filter_parameters(), 1);
  EXPECT_EQ(pages.sql("n", false, false),
            "SELECT id, n, label FROM items WHERE owner = ?1 ORDER BY n ASC, id ASC LIMIT ?2");
  EXPECT_EQ(pages.sql("n", true, true),
            "SELECT id, n, label FROM items WHERE owner = ?1 AND (n, id) < (?2, ?3) "
            "ORDER BY n DESC, id DESC LIMIT ?4");
  EXPECT_EQ(pages.sql("label", false, true),
            "SELECT id, n, label FROM items WHERE owner = ?1 AND (label, id) > (?2, ?3) "
            "ORDER BY label ASC, id ASC LIMIT ?4");
  EXPECT_EQ(labelled_item_pages().sql("n", false, true),
            "SELECT id, n, label FROM items WHERE owner = ?1 AND label = ?2 AND (n, id) > (?3, ?4) "
            "ORDER BY n ASC, id ASC LIMIT ?5");
}

TEST(KeysetStatementsTest, OnlyTheWhitelistedColumnsHaveStatements) {
  EXPECT_THROW(item_pages().sql("id", false, false), std::invalid_argument);
  EXPECT_THROW(item_pages().sql("owner", true, true), std::invalid_argument);
  EXPECT_THROW(item_pages().sql("N", false, false), std::invalid_argument);
  EXPECT_THROW(labelled_item_pages().sql("label", false, false), std::invalid_argument);
}

TEST_F(KeysetTest, EveryOrderAndPageSizeVisitsEachRowOnceInOrder) {
  for (std::string_view column : {"n", "label"}) {
    for (bool descending : {false, true}) {
      std::vector<std::string> order = expected(column, descending);
      for (std::size_t limit : {1u, 2u, 5u, 6u, 23u, 24u, 25u}) {
        SCOPED_TRACE(std::string(column) + (descending ? " desc" : " asc") + ", limit " +
                     std::to_string(limit));
        std::vector<std::string> seen;
        std::optional<PagePosition> after;
        while (true) {
          auto rows = page(column, descending, after, limit);
          ASSERT_LE(rows.size(), limit);
          for (const Item& item : rows)
            seen.push_back(item.id);
          if (rows.size() < limit) break;
          after = position(rows.back(), column);
        }
        EXPECT_EQ(seen, order);
      }
    }
  }
}

TEST_F(KeysetTest, AfterIsStrictOnTheIdWithinATie) {
  // The items with n = 2, by id: after (2, first) come the others of the tie, then n = 3.
  std::vector<std::string> tie;
  for (const Item& item : items_)
    if (item.n == 2) tie.push_back(item.id);
  std::sort(tie.begin(), tie.end());
  auto rows = page("n", false, PagePosition{std::int64_t{2}, tie.front()}, tie.size());
  ASSERT_EQ(rows.size(), tie.size());
  std::vector<std::string> ids = ids_of(rows);
  EXPECT_EQ(std::vector<std::string>(ids.begin(), ids.end() - 1),
            std::vector<std::string>(tie.begin() + 1, tie.end()));
  EXPECT_EQ(rows.back().n, 3);
  // After the last id of the tie: straight to the next value.
  rows = page("n", false, PagePosition{std::int64_t{2}, tie.back()}, 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].n, 3);
}

TEST_F(KeysetTest, TextPositionsCompareAsText) {
  // Descending after ("b", "item-99"): every "b" (all ids sort below "item-99"), then every "a".
  auto rows = page("label", true, PagePosition{std::string("b"), "item-99"}, 100);
  ASSERT_EQ(rows.size(), 16u);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(rows[i].label, i < 8 ? "b" : "a") << i;
}

TEST_F(KeysetTest, AFirstPageStartsAtEitherEnd) {
  std::vector<std::string> ascending = expected("n", false);
  std::vector<std::string> descending = expected("n", true);
  EXPECT_EQ(ids_of(page("n", false, std::nullopt, 3)),
            std::vector<std::string>(ascending.begin(), ascending.begin() + 3));
  EXPECT_EQ(ids_of(page("n", true, std::nullopt, 3)),
            std::vector<std::string>(descending.begin(), descending.begin() + 3));
  EXPECT_TRUE(page("n", false, std::nullopt, 0).empty());
}

TEST_F(KeysetTest, EveryFilterParameterIsBound) {
  std::optional<PagePosition> first;
  auto rows =
      read_page(db_, labelled_item_pages(), {"me", "c"}, {"n", false, first, 100}, read_item);
  EXPECT_EQ(rows.size(), 8u);
  for (const Item& item : rows)
    EXPECT_EQ(item.label, "c");
  rows = read_page(db_, labelled_item_pages(), {"you", "b"}, {"n", false, first, 100}, read_item);
  EXPECT_EQ(rows.size(), 5u);
}

TEST_F(KeysetTest, AFilterOfTheWrongSizeIsRefused) {
  std::optional<PagePosition> first;
  EXPECT_THROW(read_page(db_, labelled_item_pages(), {"me"}, {"n", false, first, 10}, read_item),
               std::invalid_argument);
  EXPECT_THROW(read_page(db_, item_pages(), {"me", "a"}, {"n", false, first, 10}, read_item),
               std::invalid_argument);
}

TEST_F(KeysetTest, TheStatementIsReusableAfterAPage) {
  // read_page leaves the cached statement reset: the same query twice gives the same rows.
  auto once = ids_of(page("label", false, std::nullopt, 4));
  auto twice = ids_of(page("label", false, std::nullopt, 4));
  EXPECT_EQ(once, twice);
  EXPECT_EQ(once.size(), 4u);
}

}  // namespace
}  // namespace seoagents::storage
