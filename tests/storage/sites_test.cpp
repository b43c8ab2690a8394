// Tests of the site repository: insert, find, update, delete, ownership by account, and keyset
// listing by every sort column with ties broken by id.
#include "storage/sites.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

// The base of the times the listing tests give their sites.
constexpr std::int64_t kBaseTime = 1'700'000'000'000;
constexpr std::size_t kSites = 30;
constexpr std::string_view kSortColumns[] = {"created_at", "updated_at", "name"};

class SitesTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    other_ = new_account("globex");
  }

  Site sample_site(const std::string& account_id) {
    Site site;
    site.id = new_site_id();
    site.account_id = account_id;
    site.name = "Blog";
    site.url = "https://blog.example.com";
    site.username = "editor";
    // Sealed bytes are binary: NUL and high bytes must survive.
    site.password_sealed = std::string("\x00\x01\xfe\xff sealed \x00", 13);
    site.created_at = site.updated_at = kBaseTime;
    return site;
  }

  void insert(const Site& site) {
    write<bool>([&](Connection& db) {
      insert_site(db, site);
      return true;
    });
  }
  void update(const Site& site) {
    write<bool>([&](Connection& db) {
      update_site(db, site);
      return true;
    });
  }

  std::vector<Site> list(const std::string& account_id, std::string_view sort_column = "created_at",
                         bool descending = false,
                         const std::optional<PagePosition>& after = std::nullopt,
                         std::size_t limit = 100) {
    return list_sites(db(), account_id, sort_column, descending, after, limit);
  }

  static std::vector<std::string> ids_of(const std::vector<Site>& sites) {
    std::vector<std::string> ids;
    for (const Site& site : sites)
      ids.push_back(site.id);
    return ids;
  }

  Account account_;
  Account other_;
};

void expect_same_site(const Site& actual, const Site& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.account_id, expected.account_id);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.url, expected.url);
  EXPECT_EQ(actual.username, expected.username);
  EXPECT_EQ(actual.password_sealed, expected.password_sealed);
  EXPECT_EQ(actual.verification_status, expected.verification_status);
  EXPECT_EQ(actual.last_verified_at, expected.last_verified_at);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
}

// ---------------------------------------------------------------------------------------------
// Create, find, update, delete

TEST_F(SitesTest, NewSiteIdsAreFreshAndWellFormed) {
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    std::string id = new_site_id();
    EXPECT_TRUE(std::regex_match(id, std::regex("^site-[0-9a-f]{8}$"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST_F(SitesTest, InsertedSiteIsFoundAsWritten) {
  Site site = sample_site(account_.id);
  insert(site);
  auto found = find_site(db(), site.id);
  ASSERT_TRUE(found.has_value());
  expect_same_site(*found, site);
  EXPECT_EQ(found->verification_status, "unverified");
  EXPECT_FALSE(found->last_verified_at.has_value());
  EXPECT_EQ(found->password_sealed.size(), 13u);
}

TEST_F(SitesTest, UnknownSiteIsNotFound) {
  insert(sample_site(account_.id));
  EXPECT_FALSE(find_site(db(), "site-00000000").has_value());
  EXPECT_FALSE(find_site(db(), "").has_value());
}

TEST_F(SitesTest, DuplicateIdOrUnknownAccountIsAConstraintError) {
  Site site = sample_site(account_.id);
  insert(site);
  auto again = try_write<bool>([&](Connection& db) {
    insert_site(db, site);
    return true;
  });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, StorageError::Kind::constraint);

  Site orphan = sample_site("acct-00000000");
  auto result = try_write<bool>([&](Connection& db) {
    insert_site(db, orphan);
    return true;
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, StorageError::Kind::constraint);
  EXPECT_FALSE(find_site(db(), orphan.id).has_value());
}

TEST_F(SitesTest, UpdateWritesTheMutableFieldsButNotTheOwnerOrCreationTime) {
  Site site = sample_site(account_.id);
  insert(site);
  Site changed = site;
  changed.name = "Shop";
  changed.url = "https://shop.example.com/";
  changed.username = "admin";
  changed.password_sealed = std::string("\xff\x00new", 5);
  changed.verification_status = "verified";
  changed.last_verified_at = kBaseTime + 5;
  changed.updated_at = kBaseTime + 6;
  changed.account_id = other_.id;  // not a mutable field: ignored
  changed.created_at = 1;          // likewise
  update(changed);

  auto found = find_site(db(), site.id);
  ASSERT_TRUE(found.has_value());
  Site expected = changed;
  expected.account_id = account_.id;
  expected.created_at = site.created_at;
  expect_same_site(*found, expected);
}

TEST_F(SitesTest, UpdateChangesOnlyThatSite) {
  Site one = sample_site(account_.id);
  Site two = sample_site(account_.id);
  insert(one);
  insert(two);
  one.name = "changed";
  update(one);
  expect_same_site(*find_site(db(), two.id), two);
}

TEST_F(SitesTest, DeleteRemovesOnlyThatSite) {
  Site one = sample_site(account_.id);
  Site two = sample_site(account_.id);
  insert(one);
  insert(two);
  write<bool>([&](Connection& db) {
    delete_site(db, one.id);
    delete_site(db, "site-00000000");  // nothing there: no error
    return true;
  });
  EXPECT_FALSE(find_site(db(), one.id).has_value());
  EXPECT_TRUE(find_site(db(), two.id).has_value());
  EXPECT_EQ(ids_of(list(account_.id)), std::vector<std::string>{two.id});
}

// ---------------------------------------------------------------------------------------------
// Ownership and keyset listing

class SiteListTest : public SitesTest {
 protected:
  void SetUp() override {
    SitesTest::SetUp();
    // Ties everywhere: 3 created_at values, 4 updated_at values, 5 names.
    for (std::size_t i = 0; i < kSites; ++i) {
      Site site = sample_site(account_.id);
      site.created_at = kBaseTime + static_cast<std::int64_t>(i % 3);
      site.updated_at = kBaseTime + static_cast<std::int64_t>(i % 4);
      site.name = "site " + std::to_string(i % 5);
      insert(site);
      sites_.push_back(site);
    }
    for (int i = 0; i < 4; ++i)
      insert(sample_site(other_.id));
  }

  std::vector<std::string> walk(std::string_view column, bool descending, std::size_t limit) {
    return fixtures::walk_pages<Site>(
        [&](const std::optional<PagePosition>& after, std::size_t page_limit) {
          return list(account_.id, column, descending, after, page_limit);
        },
        [&](const Site& site) { return site_position(site, column); }, limit);
  }

  std::vector<std::string> expected(std::string_view column, bool descending) {
    return fixtures::keyset_order<Site>(
        sites_, [&](const Site& site) { return site_position(site, column); }, descending);
  }

  std::vector<Site> sites_;
};

TEST_F(SiteListTest, EverySortAndPageSizeVisitsEachSiteOnceInOrder) {
  for (std::string_view column : kSortColumns) {
    for (bool descending : {false, true}) {
      std::vector<std::string> order = expected(column, descending);
      ASSERT_EQ(order.size(), kSites);
      for (std::size_t limit : {1u, 2u, 4u, 5u, 29u, 30u, 31u}) {
        SCOPED_TRACE(std::string(column) + (descending ? " desc" : " asc") + ", limit " +
                     std::to_string(limit));
        EXPECT_EQ(walk(column, descending, limit), order);
      }
    }
  }
}

TEST_F(SiteListTest, ListedSitesCarryEveryField) {
  auto listed = list(account_.id, "name", false, std::nullopt, 100);
  ASSERT_EQ(listed.size(), kSites);
  for (const Site& site : listed) {
    for (const Site& written : sites_)
      if (written.id == site.id) expect_same_site(site, written);
  }
}

TEST_F(SiteListTest, APositionInsideATieContinuesWithTheLargerIdsOfThatTie) {
  std::vector<Site> tie;
  for (const Site& site : sites_)
    if (site.created_at == kBaseTime + 1) tie.push_back(site);
  ASSERT_GE(tie.size(), 3u);
  std::vector<std::string> ids = fixtures::keyset_order<Site>(
      tie, [](const Site& site) { return site_position(site, "created_at"); }, false);

  auto page =
      list(account_.id, "created_at", false, PagePosition{kBaseTime + 1, ids[0]}, ids.size() - 1);
  EXPECT_EQ(ids_of(page), std::vector<std::string>(ids.begin() + 1, ids.end()));
  page = list(account_.id, "created_at", true, PagePosition{kBaseTime + 1, ids.back()},
              ids.size() - 1);
  EXPECT_EQ(ids_of(page), std::vector<std::string>(ids.rbegin() + 1, ids.rend()));
}

TEST_F(SiteListTest, ATieOnTheNameIsBrokenById) {
  std::vector<std::string> names_then_ids = expected("name", false);
  auto first_page = list(account_.id, "name", false, std::nullopt, 3);
  ASSERT_EQ(first_page.size(), 3u);
  EXPECT_EQ(first_page[0].name, "site 0");
  EXPECT_EQ(first_page[1].name, "site 0");
  EXPECT_LT(first_page[0].id, first_page[1].id);
  EXPECT_EQ(ids_of(first_page),
            std::vector<std::string>(names_then_ids.begin(), names_then_ids.begin() + 3));
}

TEST_F(SiteListTest, ListsOnlyTheAccountsSites) {
  for (const Site& site : list(account_.id))
    EXPECT_EQ(site.account_id, account_.id);
  auto others = list(other_.id);
  EXPECT_EQ(others.size(), 4u);
  for (const Site& site : others)
    EXPECT_EQ(site.account_id, other_.id);
  EXPECT_TRUE(list("acct-00000000").empty());
}

TEST_F(SiteListTest, APositionFromAnotherAccountOnlyPositions) {
  auto others = list(other_.id, "created_at", false, std::nullopt, 1);
  ASSERT_EQ(others.size(), 1u);
  auto page = list(account_.id, "created_at", false, site_position(others[0], "created_at"));
  EXPECT_FALSE(page.empty());
  for (const Site& site : page)
    EXPECT_EQ(site.account_id, account_.id);
}

TEST_F(SiteListTest, PositionsFollowTheSortColumn) {
  const Site& site = sites_.front();
  EXPECT_EQ(std::get<std::string>(site_position(site, "name").sort_value), site.name);
  EXPECT_EQ(std::get<std::int64_t>(site_position(site, "created_at").sort_value), site.created_at);
  EXPECT_EQ(std::get<std::int64_t>(site_position(site, "updated_at").sort_value), site.updated_at);
  EXPECT_EQ(site_position(site, "name").id, site.id);
}

TEST_F(SiteListTest, AnUnknownSortColumnIsRefused) {
  EXPECT_THROW(list(account_.id, "url"), std::invalid_argument);
}

}  // namespace
}  // namespace seoagents::storage
