// WordPress sites of an account: URL, user name and the application password, which is stored
// only sealed (AES-256-GCM, see core/secret_box.hpp) and never returned by the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/accounts.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

// The rank alert threshold of a site that was not given one.
inline constexpr std::int64_t kDefaultRankAlertThreshold = 3;

struct Site {
  std::string id;
  std::string account_id;
  std::string name;
  std::string url;
  std::string username;
  // nonce | ciphertext | tag; the associated data is the site id.
  std::string password_sealed;
  // "unverified", "verified" or "failed".
  std::string verification_status = "unverified";
  std::optional<std::int64_t> last_verified_at;
  // A keyword whose position changes by at least this many places raises rank.alert (1–100).
  std::int64_t rank_alert_threshold = kDefaultRankAlertThreshold;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A fresh site id ("site-" + 8 hex), so the password can be sealed to it before the insert.
std::string new_site_id();

void insert_site(Connection& db, const Site& site);
// Writes name, url, username, password, verification fields, rank_alert_threshold and
// updated_at.
void update_site(Connection& db, const Site& site);
void delete_site(Connection& db, std::string_view site_id);
std::optional<Site> find_site(Connection& db, std::string_view site_id);
std::vector<Site> list_sites(Connection& db, std::string_view account_id,
                             std::string_view sort_column, bool descending,
                             const std::optional<PagePosition>& after, std::size_t limit);
PagePosition site_position(const Site& site, std::string_view sort_column);

}  // namespace seoagents::storage
