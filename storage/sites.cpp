// Site persistence.
#include "storage/sites.hpp"

#include "core/random_id.hpp"
#include "storage/keyset.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kInsertSite =
    "INSERT INTO sites (id, account_id, name, url, username, password_sealed, "
    "verification_status, last_verified_at, created_at, updated_at, rank_alert_threshold) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr std::string_view kUpdateSite =
    "UPDATE sites SET name = ?2, url = ?3, username = ?4, password_sealed = ?5, "
    "verification_status = ?6, last_verified_at = ?7, updated_at = ?8, "
    "rank_alert_threshold = ?9 WHERE id = ?1";
constexpr std::string_view kDeleteSite = "DELETE FROM sites WHERE id = ?1";
constexpr std::string_view kSelectSite =
    "SELECT id, account_id, name, url, username, password_sealed, verification_status, "
    "last_verified_at, created_at, updated_at, rank_alert_threshold FROM sites WHERE id = ?1";

// The site list's filter (parameter 1: the account); keyset.hpp adds position, order and limit.
constexpr std::string_view kSelectSitePage =
    "SELECT id, account_id, name, url, username, password_sealed, verification_status, "
    "last_verified_at, created_at, updated_at, rank_alert_threshold FROM sites "
    "WHERE account_id = ?1";

const KeysetStatements& site_pages() {
  static const KeysetStatements pages(kSelectSitePage, 1, {"created_at", "updated_at", "name"});
  return pages;
}

Site read_site(Statement& row) {
  Site site;
  site.id = row.text(0);
  site.account_id = row.text(1);
  site.name = row.text(2);
  site.url = row.text(3);
  site.username = row.text(4);
  site.password_sealed = row.blob(5);
  site.verification_status = row.text(6);
  site.last_verified_at = row.optional_integer(7);
  site.created_at = row.integer(8);
  site.updated_at = row.integer(9);
  site.rank_alert_threshold = row.integer(10);
  return site;
}

void bind_site(Statement& statement, const Site& site) {
  statement.bind(1, site.id)
      .bind(2, site.name)
      .bind(3, site.url)
      .bind(4, site.username)
      .bind_blob(5, site.password_sealed)
      .bind(6, site.verification_status)
      .bind(7, site.last_verified_at)
      .bind(8, site.updated_at)
      .bind(9, site.rank_alert_threshold);
}

}  // namespace

std::string new_site_id() {
  return "site-" + secure_random_hex(4);
}

void insert_site(Connection& db, const Site& site) {
  db.query(kInsertSite)
      ->bind(1, site.id)
      .bind(2, site.account_id)
      .bind(3, site.name)
      .bind(4, site.url)
      .bind(5, site.username)
      .bind_blob(6, site.password_sealed)
      .bind(7, site.verification_status)
      .bind(8, site.last_verified_at)
      .bind(9, site.created_at)
      .bind(10, site.updated_at)
      .bind(11, site.rank_alert_threshold)
      .run();
}

void update_site(Connection& db, const Site& site) {
  Query query = db.query(kUpdateSite);
  bind_site(*query, site);
  query->run();
}

void delete_site(Connection& db, std::string_view site_id) {
  db.query(kDeleteSite)->bind(1, site_id).run();
}

std::optional<Site> find_site(Connection& db, std::string_view site_id) {
  Query query = db.query(kSelectSite);
  query->bind(1, site_id);
  if (!query->step()) return std::nullopt;
  return read_site(*query);
}

std::vector<Site> list_sites(Connection& db, std::string_view account_id,
                             std::string_view sort_column, bool descending,
                             const std::optional<PagePosition>& after, std::size_t limit) {
  return read_page(db, site_pages(), {account_id}, {sort_column, descending, after, limit},
                   read_site);
}

PagePosition site_position(const Site& site, std::string_view sort_column) {
  if (sort_column == "name") return {site.name, site.id};
  if (sort_column == "updated_at") return {site.updated_at, site.id};
  return {site.created_at, site.id};
}

}  // namespace seoagents::storage
