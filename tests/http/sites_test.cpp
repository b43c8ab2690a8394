// Over-the-wire tests of /v1/dashboard/sites: register (the application password is never
// returned), URL rules and the SSRF guard, validation, read, partial update, removal, two
// accounts side by side and pagination. Verification against WordPress is in
// sites_wordpress_test.cpp.
#include "storage/sites.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kSites = "/v1/dashboard/sites";
constexpr std::string_view kPassword = "abcd efgh ijkl mnop qrst uvwx";
// A public address written as a literal: no DNS lookup, and nothing connects to it here.
constexpr std::string_view kPublicUrl = "https://93.184.216.34/blog";
const std::regex kSiteId("^site-[0-9a-f]{8}$");
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
const std::set<std::string> kSiteMembers{"id",
                                         "name",
                                         "url",
                                         "username",
                                         "has_credentials",
                                         "verification_status",
                                         "last_verified_at",
                                         "rank_alert_threshold",
                                         "created_at",
                                         "updated_at"};

std::string site_path(std::string_view id, std::string_view suffix = {}) {
  return join(kSites, "/", id, suffix);
}

// A create body with `url` and the other fields valid.
std::string body_with_url(std::string_view url) {
  return join(
      R"({"url":")", url,
      join(R"(","name":"Blog","username":"editor","application_password":")", kPassword, R"("})"));
}

class SitesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    ASSERT_TRUE(server_->app().first_api_key().has_value());
    a_ = std::make_unique<Api>(server_->port(), *server_->app().first_api_key());
  }

  const Api& b() {
    if (!b_) {
      TestAccount account = create_account_with_key(writes_, server_->app().store(), "tenant-b");
      b_ = std::make_unique<Api>(server_->port(), account.key);
    }
    return *b_;
  }

  json::object create_site(const Api& api, std::string_view url = kPublicUrl) {
    return api.create(kSites, body_with_url(url));
  }

  std::vector<std::string> listed(const Api& api) {
    ListWalk walk = walk_list(api, join(kSites, "?limit=100"));
    EXPECT_TRUE(walk.ended);
    return ids_of(walk.items);
  }

  // The password must appear in no answer, whole or in part.
  static void expect_no_password(const ClientResponse& response) {
    EXPECT_EQ(response.body().find("abcd"), std::string::npos) << response.body();
    EXPECT_EQ(response.body().find("qrst uvwx"), std::string::npos) << response.body();
    EXPECT_EQ(response.body().find("application_password\":\""), std::string::npos)
        << response.body();
  }

  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Api> a_;
  std::unique_ptr<Api> b_;
};

// ---------------------------------------------------------------------------------------------
// Create and read

TEST_F(SitesTest, CreateAnswers201WithoutThePassword) {
  ClientResponse response = a_->post(kSites, body_with_url("https://93.184.216.34/blog/"));
  json::object site = expect_json(response, 201);
  EXPECT_EQ(member_names(site), kSiteMembers) << response.body();
  std::string id = text_of(site, "id");
  EXPECT_TRUE(std::regex_match(id, kSiteId)) << id;
  EXPECT_EQ(response[bhttp::field::location], site_path(id));
  EXPECT_EQ(text_of(site, "url"), "https://93.184.216.34/blog") << "trailing slash kept";
  EXPECT_EQ(text_of(site, "name"), "Blog");
  EXPECT_EQ(text_of(site, "username"), "editor");
  EXPECT_EQ(site.at("has_credentials"), json::value(true));
  EXPECT_EQ(text_of(site, "verification_status"), "unverified");
  EXPECT_TRUE(site.at("last_verified_at").is_null());
  EXPECT_TRUE(std::regex_match(text_of(site, "created_at"), kTimestamp));
  EXPECT_EQ(text_of(site, "created_at"), text_of(site, "updated_at"));
  expect_no_password(response);

  ClientResponse read = a_->get(site_path(id));
  EXPECT_EQ(read.result_int(), 200);
  EXPECT_EQ(read.body(), response.body());
  ClientResponse list = a_->get(kSites);
  expect_no_password(list);
  EXPECT_EQ(expect_json(list, 200).at("data").as_array().size(), 1u);

  // Stored sealed: the plain text is nowhere in the row.
  auto stored = storage::find_site(server_->app().store().reader(), id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_GT(stored->password_sealed.size(), kPassword.size());
  EXPECT_EQ(stored->password_sealed.find("abcd"), std::string::npos);
  EXPECT_EQ(stored->password_sealed.find("uvwx"), std::string::npos);
}

TEST_F(SitesTest, UrlsAreStoredInOneCanonicalForm) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://93.184.216.34", "https://93.184.216.34"},
      {"https://93.184.216.34/", "https://93.184.216.34"},
      {"HTTPS://93.184.216.34:443//", "https://93.184.216.34"},
      {"http://93.184.216.34:80/wp", "http://93.184.216.34/wp"},
      {"http://93.184.216.34:8080/a/b/", "http://93.184.216.34:8080/a/b"},
      {"https://93.184.216.34:80", "https://93.184.216.34:80"},
      {"  https://93.184.216.34/x  ", "https://93.184.216.34/x"},
      {"https://[2606:2800:220:1:248:1893:25C8:1946]/",
       "https://[2606:2800:220:1:248:1893:25c8:1946]"},
  };
  for (const auto& [given, stored] : cases) {
    SCOPED_TRACE(given);
    EXPECT_EQ(text_of(create_site(*a_, given), "url"), stored);
  }
}

TEST_F(SitesTest, InvalidCreatesAreValidationErrorsNamingTheFieldAndWriteNothing) {
  std::string good_rest =
      join(R"("name":"Blog","username":"editor","application_password":")", kPassword, R"(")");
  std::string long_url = join("https://93.184.216.34/", std::string(2048, 'a'));
  struct Invalid {
    std::string body;
    std::string field;
  };
  const std::vector<Invalid> invalid = {
      {join("{", good_rest, "}"), "url"},
      {join(R"({"url":"",)", good_rest, "}"), "url"},
      {join(R"({"url":5,)", good_rest, "}"), "url"},
      {join(R"({"url":null,)", good_rest, "}"), "url"},
      {join(R"({"url":"ftp://93.184.216.34",)", good_rest, "}"), "url"},
      {join(R"({"url":"javascript:alert",)", good_rest, "}"), "url"},
      {join(R"({"url":"file:///etc/passwd",)", good_rest, "}"), "url"},
      {join(R"({"url":"93.184.216.34/blog",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://93.184.216.34/#top",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://user:pw@93.184.216.34",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://93.184.216.34/?p=1",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://93.184.216.34/a b",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://93.184.216.34:0",)", good_rest, "}"), "url"},
      {join(R"({"url":"https://93.184.216.34:65536",)", good_rest, "}"), "url"},
      {join(R"({"url":")", long_url, R"(",)", join(good_rest, "}")), "url"},
      {join(R"({"url":"https://93.184.216.34","username":"e","application_password":"p"})"),
       "name"},
      {join(R"({"url":"https://93.184.216.34","name":"","username":"e",)",
            R"("application_password":"p"})"),
       "name"},
      {join(R"({"url":"https://93.184.216.34","name":")", std::string(201, 'n'),
            R"(","username":"e","application_password":"p"})"),
       "name"},
      {join(R"({"url":"https://93.184.216.34","name":7,"username":"e",)",
            R"("application_password":"p"})"),
       "name"},
      {join(R"({"url":"https://93.184.216.34","name":"n","application_password":"p"})"),
       "username"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":" ",)",
            R"("application_password":"p"})"),
       "username"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":"ed:itor",)",
            R"("application_password":"p"})"),
       "username"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":")", std::string(201, 'u'),
            R"(","application_password":"p"})"),
       "username"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":null,)",
            R"("application_password":"p"})"),
       "username"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":"e"})"),
       "application_password"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":"e",)",
            R"("application_password":""})"),
       "application_password"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":"e",)",
            R"("application_password":["p"]})"),
       "application_password"},
      {join(R"({"url":"https://93.184.216.34","name":"n","username":"e",)",
            R"("application_password":")", join(std::string(201, 'p'), R"("})")),
       "application_password"},
      {join(R"({"url":"https://93.184.216.34",)", good_rest, R"(,"password":"x"})"), "password"},
      {join(R"({"url":"https://93.184.216.34",)", good_rest,
            R"(,"verification_status":"verified"})"),
       "verification_status"},
      {join(R"({"url":"https://93.184.216.34",)", good_rest, R"(,"account_id":"acct-00000000"})"),
       "account_id"},
      {join(R"({"url":"https://93.184.216.34",)", good_rest, R"(,"id":"site-00000000"})"), "id"},
  };
  for (const Invalid& request : invalid) {
    SCOPED_TRACE(request.body.substr(0, 140));
    ClientResponse response = a_->post(kSites, request.body);
    expect_validation_error(response, request.field);
    EXPECT_EQ(detail_fields(body_of(response)).size(), 1u) << response.body();
    expect_no_password(response);
    // A refused long password is not echoed either.
    EXPECT_EQ(response.body().find(std::string(201, 'p')), std::string::npos);
  }
  for (std::string_view body : {"{", "", "[]", R"("x")", R"({"url":"https://93.184.216.34",})"}) {
    SCOPED_TRACE(std::string(body));
    expect_error(a_->post(kSites, std::string(body)), 400, "INVALID_JSON");
  }
  EXPECT_TRUE(listed(*a_).empty());
}

TEST_F(SitesTest, PrivateAndLoopbackTargetsAreUnsafeByDefault) {
  for (std::string_view url :
       {"http://127.0.0.1", "http://127.0.0.1:8089", "http://127.1.2.3/wp", "http://localhost:8089",
        "http://LOCALHOST", "http://10.0.0.5", "http://172.16.0.1", "http://192.168.1.1",
        "http://169.254.169.254/latest/meta-data", "http://100.64.0.1", "http://0.0.0.0",
        "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://[fd00::1]/",
        "http://224.0.0.1"}) {
    SCOPED_TRACE(std::string(url));
    ClientResponse response = a_->post(kSites, body_with_url(url));
    json::object body = expect_error(response, 400, "UNSAFE_URL");
    EXPECT_EQ(detail_fields(body), (std::set<std::string>{"url"})) << response.body();
  }
  EXPECT_TRUE(listed(*a_).empty());

  // An update to such a URL is refused the same way, and changes nothing.
  std::string id = text_of(create_site(*a_), "id");
  std::string before = a_->get(site_path(id)).body();
  expect_error(a_->put(site_path(id), R"({"url":"http://127.0.0.1:8089","name":"x"})"), 400,
               "UNSAFE_URL");
  EXPECT_EQ(a_->get(site_path(id)).body(), before);
}

TEST_F(SitesTest, PrivateTargetsAreAcceptedWhenAllowed) {
  Config config = test_config();
  config.allow_private_targets = true;
  TestServer server(std::move(config));
  Api api(server.port(), *server.app().first_api_key());
  for (std::string_view url : {"http://127.0.0.1:8089", "http://10.0.0.5", "http://[::1]:8080"}) {
    SCOPED_TRACE(std::string(url));
    EXPECT_EQ(text_of(api.create(kSites, body_with_url(url)), "url"), url);
  }
}

// ---------------------------------------------------------------------------------------------
// Update and delete

TEST_F(SitesTest, UpdateChangesOnlyTheFieldsGivenAndNewCredentialsResetVerification) {
  json::object created = create_site(*a_);
  std::string id = text_of(created, "id");
  std::string path = site_path(id);
  // As if a verification had succeeded.
  store_write<bool>(writes_, server_->app().store(), [id](storage::Connection& db) {
    auto site = storage::find_site(db, id);
    site->verification_status = "verified";
    site->last_verified_at = site->updated_at;
    storage::update_site(db, *site);
    return true;
  });
  std::string sealed = storage::find_site(server_->app().store().reader(), id)->password_sealed;

  // A new name keeps the verification.
  ClientResponse renamed_response = a_->put(path, R"({"name":" Renamed "})");
  json::object renamed = expect_json(renamed_response, 200);
  EXPECT_EQ(text_of(renamed, "name"), "Renamed");
  EXPECT_EQ(text_of(renamed, "verification_status"), "verified");
  EXPECT_TRUE(renamed.at("last_verified_at").is_string());
  for (std::string_view same : {"id", "url", "username", "has_credentials", "created_at"})
    EXPECT_EQ(renamed.at(same), created.at(same)) << same;
  EXPECT_GT(text_of(renamed, "updated_at"), text_of(created, "updated_at"));
  EXPECT_EQ(a_->get(path).body(), renamed_response.body());

  // A new password: sealed anew, never shown, and the verification no longer holds.
  ClientResponse repassworded = a_->put(path, R"({"application_password":"zzzz yyyy xxxx"})");
  json::object after_password = expect_json(repassworded, 200);
  EXPECT_EQ(repassworded.body().find("zzzz"), std::string::npos);
  EXPECT_EQ(text_of(after_password, "verification_status"), "unverified");
  EXPECT_TRUE(after_password.at("last_verified_at").is_null());
  EXPECT_TRUE(after_password.at("has_credentials").as_bool());
  EXPECT_NE(storage::find_site(server_->app().store().reader(), id)->password_sealed, sealed);

  json::object moved = expect_json(
      a_->put(path, R"({"url":"http://93.184.216.34:8080/new/","username":"author"})"), 200);
  EXPECT_EQ(text_of(moved, "url"), "http://93.184.216.34:8080/new");
  EXPECT_EQ(text_of(moved, "username"), "author");
  EXPECT_EQ(text_of(moved, "name"), "Renamed");
}

TEST_F(SitesTest, InvalidUpdatesAreValidationErrorsAndChangeNothing) {
  std::string id = text_of(create_site(*a_), "id");
  std::string path = site_path(id);
  std::string before = a_->get(path).body();
  struct Invalid {
    std::string body;
    std::string field;
  };
  const std::vector<Invalid> invalid = {
      {R"({"url":""})", "url"},
      {R"({"url":"ftp://93.184.216.34"})", "url"},
      {R"({"url":"https://93.184.216.34/?x=1"})", "url"},
      {R"({"url":null})", "url"},
      {R"({"name":""})", "name"},
      {R"({"name":false})", "name"},
      {R"({"username":"a:b"})", "username"},
      {R"({"username":""})", "username"},
      {R"({"application_password":""})", "application_password"},
      {R"({"application_password":123})", "application_password"},
      {R"({"has_credentials":false})", "has_credentials"},
      {R"({"verification_status":"verified"})", "verification_status"},
      {R"({"name":"ok","created_at":"2020-01-01T00:00:00.000Z"})", "created_at"},
  };
  for (const Invalid& request : invalid) {
    SCOPED_TRACE(request.body);
    expect_validation_error(a_->put(path, request.body), request.field);
  }
  expect_error(a_->put(path, "{"), 400, "INVALID_JSON");
  EXPECT_EQ(a_->get(path).body(), before);
}

TEST_F(SitesTest, DeleteRemovesTheSite) {
  std::string id = text_of(create_site(*a_), "id");
  std::string kept = text_of(create_site(*a_), "id");
  ClientResponse removed = a_->remove(site_path(id));
  json::object body = expect_json(removed, 200);
  EXPECT_EQ(text_of(body, "id"), id);
  EXPECT_EQ(member_names(body), kSiteMembers);
  expect_no_password(removed);

  std::string message = join("Site not found: ", id);
  EXPECT_EQ(text_of(expect_error(a_->get(site_path(id)), 404, "RESOURCE_NOT_FOUND"), "message"),
            message);
  EXPECT_EQ(text_of(expect_error(a_->remove(site_path(id)), 404, "RESOURCE_NOT_FOUND"), "message"),
            message);
  expect_error(a_->put(site_path(id), R"({"name":"x"})"), 404, "RESOURCE_NOT_FOUND");
  expect_error(a_->post(site_path(id, "/verify"), ""), 404, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(listed(*a_), (std::vector<std::string>{kept}));
  EXPECT_FALSE(storage::find_site(server_->app().store().reader(), id).has_value());
}

TEST_F(SitesTest, MissingSitesAreNotFoundWithTheirIdInTheMessage) {
  for (std::string_view id : {"site-xyz12345", "site-00000000"}) {
    std::string message = join("Site not found: ", id);
    for (const ClientResponse& response :
         {a_->get(site_path(id)), a_->put(site_path(id), R"({"name":"x"})"),
          a_->remove(site_path(id)), a_->post(site_path(id, "/verify"), "")}) {
      EXPECT_EQ(text_of(expect_error(response, 404, "RESOURCE_NOT_FOUND"), "message"), message);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Two accounts

TEST_F(SitesTest, AnotherAccountsSiteIsForbiddenAndUntouched) {
  std::string id = text_of(create_site(*a_), "id");
  std::string path = site_path(id);
  std::string before = a_->get(path).body();
  for (const ClientResponse& response :
       {b().get(path), b().put(path, R"({"name":"hijacked"})"),
        b().put(path, R"({"url":"https://93.184.216.35"})"), b().remove(path),
        b().post(site_path(id, "/verify"), "")}) {
    json::object body = expect_error(response, 403, "FORBIDDEN");
    EXPECT_NE(text_of(body, "message").find(id), std::string::npos) << response.body();
    EXPECT_EQ(response.body().find("93.184.216.34"), std::string::npos) << response.body();
  }
  // Unchanged, and never verified by B (its verification would have been recorded).
  EXPECT_EQ(a_->get(path).body(), before);
  EXPECT_TRUE(listed(b()).empty());
  std::string b_site = text_of(create_site(b()), "id");
  EXPECT_EQ(listed(b()), (std::vector<std::string>{b_site}));
  EXPECT_EQ(listed(*a_), (std::vector<std::string>{id}));
  expect_error(a_->remove(site_path(b_site)), 403, "FORBIDDEN");
}

// ---------------------------------------------------------------------------------------------
// Pagination

TEST_F(SitesTest, PagesVisitEverySiteOnceInOrder) {
  constexpr int kTotal = 250;
  std::string account = default_account_id(server_->app().store());
  store_write<bool>(writes_, server_->app().store(), [account](storage::Connection& db) {
    for (int i = 0; i < kTotal; ++i) {
      storage::Site site;
      site.id = storage::new_site_id();
      site.account_id = account;
      site.name = "site " + std::to_string(i % 40);
      site.url = "https://93.184.216.34";
      site.username = "editor";
      site.password_sealed = "sealed";
      site.created_at = site.updated_at = 1'700'000'000'000 + i % 3;
      storage::insert_site(db, site);
    }
    return true;
  });
  b();  // another account's sites never show
  create_site(b());
  for (std::string_view sort :
       {"created_at:asc", "created_at:desc", "name:asc", "name:desc", "updated_at:desc"}) {
    SCOPED_TRACE(std::string(sort));
    ListWalk walk = walk_list(*a_, join(kSites, "?limit=100&sort=", sort));
    ASSERT_TRUE(walk.ended);
    EXPECT_EQ(walk.pages, 3);
    std::vector<std::string> ids = ids_of(walk.items);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kTotal));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "duplicates";
    std::string field(sort.substr(0, sort.find(':')));
    bool descending = sort.ends_with(":desc");
    for (std::size_t i = 1; i < walk.items.size(); ++i) {
      auto key = [&](const json::object& item) {
        return std::make_pair(text_of(item, field), text_of(item, "id"));
      };
      EXPECT_TRUE(descending ? key(walk.items[i]) < key(walk.items[i - 1])
                             : key(walk.items[i - 1]) < key(walk.items[i]))
          << "out of order at " << i;
    }
  }
  for (std::string_view limit : {"0", "-1", "abc", "101"}) {
    SCOPED_TRACE(std::string(limit));
    expect_validation_error(a_->get(join(kSites, "?limit=", limit)), "limit");
  }
  expect_validation_error(a_->get(join(kSites, "?sort=url:asc")), "sort");
  std::string cursor = text_of(expect_json(a_->get(join(kSites, "?limit=5")), 200), "next_cursor");
  ASSERT_FALSE(cursor.empty());
  expect_error(a_->get(join("/v1/dashboard/agents?cursor=", cursor)), 400, "INVALID_CURSOR");
  expect_error(b().get(join(kSites, "?limit=5&cursor=", cursor)), 400, "INVALID_CURSOR");
  expect_error(a_->get(join(kSites, "?limit=5&sort=name:desc&cursor=", cursor)), 400,
               "INVALID_CURSOR");
}

}  // namespace
}  // namespace seoagents::testing
