// Over-the-wire tests of X-API-Key authentication and /v1/dashboard/api-keys (create, list,
// revoke).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/request_body.hpp"
#include "storage/accounts.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using bhttp::field;
using bhttp::verb;

constexpr std::string_view kKeys = "/v1/dashboard/api-keys";
const std::regex kRawKey("^sak_[0-9A-Za-z]{43}$");
const std::regex kKeyId("^key-[0-9a-f]{8}$");
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");

// kKeys followed by `a` and `b` (appended, not concatenated with operator+, which trips GCC 12's
// -Warray-bounds at -O3).
std::string keys_path(std::string_view a = {}, std::string_view b = {}) {
  std::string path;
  path.reserve(kKeys.size() + a.size() + b.size());
  path.append(kKeys).append(a).append(b);
  return path;
}

HeaderList with_key(const std::string& key) {
  return {{"X-API-Key", key}};
}

HeaderList json_with_key(const std::string& key) {
  return {{"X-API-Key", key}, {"Content-Type", "application/json"}};
}

// A TestServer and the first key, with request helpers (a fresh connection per request).
class ApiKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    ASSERT_TRUE(server_->app().first_api_key().has_value());
    first_key_ = *server_->app().first_api_key();
  }

  ClientResponse get(const std::string& target, const std::string& key) {
    return HttpClient(server_->port()).request(verb::get, target, {}, with_key(key));
  }
  ClientResponse post_json(const std::string& body, const std::string& key) {
    return HttpClient(server_->port()).request(verb::post, kKeys, body, json_with_key(key));
  }
  ClientResponse remove(const std::string& id, const std::string& key) {
    return HttpClient(server_->port())
        .request(verb::delete_, keys_path("/", id), {}, with_key(key));
  }
  // Creates a key over HTTP; returns the 201 body.
  json::object create(const std::string& name, const std::string& key) {
    ClientResponse response = post_json(R"({"name":")" + name + R"("})", key);
    EXPECT_EQ(response.result_int(), 201) << response.body();
    return body_of(response);
  }
  std::string raw_key_of(const json::object& created) {
    return std::string(created.at("key").as_string());
  }
  std::string id_of(const json::object& created) {
    return std::string(created.at("id").as_string());
  }

  // Declared before the server: destroyed after the store's writer thread has stopped.
  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  std::string first_key_;
};

// ---------------------------------------------------------------------------------------------
// Authentication

TEST_F(ApiKeysTest, NoCredentialsIsUnauthorized) {
  HttpClient client(server_->port());
  expect_error(client.request(verb::get, kKeys), 401, "UNAUTHORIZED");
  expect_error(
      client.request(verb::post, kKeys, R"({"name":"x"})", {{"Content-Type", "application/json"}}),
      401, "UNAUTHORIZED");
  expect_error(client.request(verb::delete_, keys_path("/key-00000000")), 401, "UNAUTHORIZED");
  // Health stays open.
  EXPECT_EQ(client.request(verb::get, "/v1/dashboard/health").result_int(), 200);
}

TEST_F(ApiKeysTest, BearerTokenIsInvalidToken) {
  HttpClient client(server_->port());
  expect_error(client.request(verb::get, kKeys, {}, {{"Authorization", "Bearer eyJhbGciOi.x.y"}}),
               401, "INVALID_TOKEN");
  // A valid API key sent as a bearer token is not accepted either.
  expect_error(client.request(verb::get, kKeys, {}, {{"Authorization", "Bearer " + first_key_}}),
               401, "INVALID_TOKEN");
}

TEST_F(ApiKeysTest, UnknownMalformedOrOverlongKeysAreInvalidApiKey) {
  std::string unknown = "sak_" + std::string(43, 'A');
  std::string flipped = first_key_;
  flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
  std::string upper = first_key_;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& key :
       {unknown, flipped, first_key_ + "x", first_key_.substr(0, 46), std::string("abc"),
        std::string("sak_"), std::string("SAK_") + first_key_.substr(4), first_key_.substr(4),
        "sak_" + std::string(1000, 'z'), first_key_ + std::string(500, 'a'), upper,
        "Bearer " + first_key_}) {
    SCOPED_TRACE(key.substr(0, 80));
    expect_error(HttpClient(server_->port()).request(verb::get, kKeys, {}, with_key(key)), 401,
                 "INVALID_API_KEY");
  }
}

TEST_F(ApiKeysTest, TheFirstKeyWorksAndBelongsToTheDefaultAgencyAccount) {
  EXPECT_TRUE(std::regex_match(first_key_, kRawKey)) << first_key_;
  ClientResponse response = get(keys_path(), first_key_);
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(response[field::content_type], "application/json");
  json::object body = body_of(response);
  ASSERT_TRUE(body.at("data").is_array());
  ASSERT_EQ(body.at("data").as_array().size(), 1u) << response.body();
  EXPECT_TRUE(body.at("next_cursor").is_null());
  const json::object& key = body.at("data").as_array()[0].as_object();
  EXPECT_EQ(key.at("name").as_string(), "first key");
  EXPECT_EQ(key.at("prefix").as_string(), first_key_.substr(0, 10));

  storage::Connection& db = server_->app().store().reader();
  EXPECT_EQ(storage::count_accounts(db), 1);
  auto account = storage::find_account_by_name(db, "default");
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->plan, storage::Plan::agency);
}

// ---------------------------------------------------------------------------------------------
// Create and list

TEST_F(ApiKeysTest, CreateAnswers201WithLocationAndTheRawKeyOnce) {
  std::string before = get(keys_path(), first_key_).body();
  ClientResponse response = post_json(R"({"name":"ci"})", first_key_);
  ASSERT_EQ(response.result_int(), 201) << response.body();
  EXPECT_EQ(response[field::content_type], "application/json");
  json::object body = body_of(response);
  std::set<std::string> members;
  for (const auto& member : body)
    members.insert(std::string(member.key()));
  EXPECT_EQ(members, (std::set<std::string>{"id", "name", "prefix", "key", "created_at",
                                            "last_used_at", "revoked_at"}))
      << response.body();

  std::string id = id_of(body);
  std::string raw = raw_key_of(body);
  EXPECT_TRUE(std::regex_match(id, kKeyId)) << id;
  EXPECT_EQ(response[field::location], keys_path("/", id));
  EXPECT_EQ(body.at("name").as_string(), "ci");
  EXPECT_TRUE(std::regex_match(raw, kRawKey)) << raw;
  EXPECT_NE(raw, first_key_);
  EXPECT_EQ(body.at("prefix").as_string(), raw.substr(0, 10));
  ASSERT_TRUE(body.at("created_at").is_string());
  EXPECT_TRUE(std::regex_match(std::string(body.at("created_at").as_string()), kTimestamp))
      << body.at("created_at");
  EXPECT_TRUE(body.at("last_used_at").is_null());
  EXPECT_TRUE(body.at("revoked_at").is_null());

  // The new key authenticates, as the same account: it sees the first key too.
  ClientResponse listed = get(keys_path(), raw);
  ASSERT_EQ(listed.result_int(), 200) << listed.body();
  EXPECT_EQ(body_of(listed).at("data").as_array().size(), 2u);
  EXPECT_NE(before, listed.body());
}

TEST_F(ApiKeysTest, ListNeverShowsRawKeys) {
  json::object created = create("ci", first_key_);
  std::string raw = raw_key_of(created);
  ClientResponse response = get(keys_path(), first_key_);
  ASSERT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body().find(raw.substr(10)), std::string::npos) << response.body();
  EXPECT_EQ(response.body().find(first_key_.substr(10)), std::string::npos) << response.body();
  json::array data = body_of(response).at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  for (const json::value& item : data) {
    std::set<std::string> members;
    for (const auto& member : item.as_object())
      members.insert(std::string(member.key()));
    EXPECT_EQ(members, (std::set<std::string>{"id", "name", "prefix", "created_at", "last_used_at",
                                              "revoked_at"}))
        << item;
  }
  // Default order: newest first.
  EXPECT_EQ(data[0].as_object().at("id").as_string(), id_of(created));
}

TEST_F(ApiKeysTest, NameIsTrimmedAndCountedInCharacters) {
  ClientResponse trimmed = post_json(R"({"name":"  ci  "})", first_key_);
  ASSERT_EQ(trimmed.result_int(), 201) << trimmed.body();
  EXPECT_EQ(body_of(trimmed).at("name").as_string(), "ci");

  std::string two_hundred(200, 'n');
  EXPECT_EQ(post_json(R"({"name":")" + two_hundred + R"("})", first_key_).result_int(), 201);

  std::string accents;
  for (int i = 0; i < 200; ++i)
    accents += "\xC3\xA9";  // é: 2 bytes, 1 character
  ClientResponse wide = post_json(R"({"name":")" + accents + R"("})", first_key_);
  ASSERT_EQ(wide.result_int(), 201) << wide.body();
  EXPECT_EQ(body_of(wide).at("name").as_string(), accents);
}

TEST_F(ApiKeysTest, InvalidNamesAreValidationErrors) {
  for (const std::string& body :
       {std::string("{}"), std::string(R"({"name":""})"), std::string(R"({"name":"   "})"),
        R"({"name":")" + std::string(201, 'n') + R"("})", std::string(R"({"name":123})"),
        std::string(R"({"name":null})"), std::string(R"({"name":["ci"]})"),
        std::string(R"({"name":{"x":1}})"), std::string(R"({"name":true})")}) {
    SCOPED_TRACE(body.substr(0, 60));
    expect_validation_error(post_json(body, first_key_), "name");
  }
}

TEST_F(ApiKeysTest, UnknownFieldsAreRefused) {
  for (std::string_view field_name : {"plan", "account_id", "key", "id"}) {
    SCOPED_TRACE(std::string(field_name));
    std::string body = R"({"name":"ci",")" + std::string(field_name) + R"(":"enterprise"})";
    ClientResponse response = post_json(body, first_key_);
    expect_validation_error(response, std::string(field_name));
    EXPECT_EQ(detail_fields(body_of(response)).count("name"), 0u) << response.body();
  }
  // Nothing was created.
  EXPECT_EQ(body_of(get(keys_path(), first_key_)).at("data").as_array().size(), 1u);
}

TEST_F(ApiKeysTest, MalformedJsonAndNonObjectsAreInvalidJson) {
  for (std::string_view body :
       {"{", R"({"name":)", "not json", R"({"name":"ci",})", "", R"(["ci"])", R"("ci")", "null",
        "42", R"({"name":"ci"} trailing)"}) {
    SCOPED_TRACE(std::string(body));
    expect_error(post_json(std::string(body), first_key_), 400, "INVALID_JSON");
  }
}

TEST_F(ApiKeysTest, ContentTypeMustBeJson) {
  HttpClient client(server_->port());
  for (std::string_view type : {"text/plain", "application/x-www-form-urlencoded",
                                "multipart/form-data; boundary=x", "application/jsonx"}) {
    SCOPED_TRACE(std::string(type));
    expect_error(client.request(verb::post, kKeys, R"({"name":"ci"})",
                                {{"X-API-Key", first_key_}, {"Content-Type", std::string(type)}}),
                 415, "UNSUPPORTED_MEDIA_TYPE");
  }
  EXPECT_EQ(
      client
          .request(verb::post, kKeys, R"({"name":"ci"})",
                   {{"X-API-Key", first_key_}, {"Content-Type", "application/json; charset=utf-8"}})
          .result_int(),
      201);
  EXPECT_EQ(client.request(verb::post, kKeys, R"({"name":"ci2"})", {{"X-API-Key", first_key_}})
                .result_int(),
            201);
}

TEST_F(ApiKeysTest, NamesWithQuotesControlsAndUnicodeRoundTrip) {
  // JSON escapes in, the same text out (escaped again) in the 201 answer and in the list.
  std::string body = R"({"name":"a \"quoted\" \\ back\u0001slash \u00e9\u4e2d \ud83d\ude00"})";
  ClientResponse created = post_json(body, first_key_);
  ASSERT_EQ(created.result_int(), 201) << created.body();
  std::string expected = "a \"quoted\" \\ back\x01slash \xC3\xA9\xE4\xB8\xAD \xF0\x9F\x98\x80";
  EXPECT_EQ(body_of(created).at("name").as_string(), expected) << created.body();
  json::object listing = body_of(get(keys_path(), first_key_));
  bool found = false;
  for (const json::value& item : listing.at("data").as_array()) {
    found = found || item.as_object().at("name").as_string() == expected;
  }
  EXPECT_TRUE(found) << json::serialize(listing);
}

TEST_F(ApiKeysTest, UsingAKeyRecordsLastUsedAt) {
  json::object created = create("used", first_key_);
  std::string id = id_of(created);
  auto last_used = [&]() -> json::value {
    json::object listing = body_of(get(keys_path(), first_key_));
    for (const json::value& item : listing.at("data").as_array()) {
      if (item.as_object().at("id").as_string() == id) return item.as_object().at("last_used_at");
    }
    return json::value("missing");
  };
  EXPECT_TRUE(last_used().is_null());
  ASSERT_EQ(get(keys_path(), raw_key_of(created)).result_int(), 200);
  // The use is recorded in the background: wait for it (bounded, not timed).
  json::value seen = last_used();
  for (auto deadline = std::chrono::steady_clock::now() + kClientWait;
       seen.is_null() && std::chrono::steady_clock::now() < deadline; seen = last_used()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(seen.is_string()) << seen;
  EXPECT_TRUE(std::regex_match(std::string(seen.as_string()), kTimestamp)) << seen;
}

// ---------------------------------------------------------------------------------------------
// Revoke

TEST_F(ApiKeysTest, RevokedKeyIsRefusedOnItsVeryNextRequestOnEveryLoop) {
  json::object created = create("doomed", first_key_);
  std::string doomed = raw_key_of(created);

  // Kept-alive connections, spread by the kernel over both loop threads, each of which has the
  // key in its cache.
  constexpr int kConnections = 12;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<HttpClient>(server_->port()));
    for (int round = 0; round < 2; ++round) {
      ASSERT_EQ(clients.back()->request(verb::get, kKeys, {}, with_key(doomed)).result_int(), 200);
    }
  }

  ClientResponse revoked = remove(id_of(created), first_key_);
  ASSERT_EQ(revoked.result_int(), 200) << revoked.body();
  json::object body = body_of(revoked);
  EXPECT_EQ(body.at("id").as_string(), id_of(created));
  EXPECT_FALSE(body.contains("key")) << revoked.body();
  ASSERT_TRUE(body.at("revoked_at").is_string()) << revoked.body();
  EXPECT_TRUE(std::regex_match(std::string(body.at("revoked_at").as_string()), kTimestamp));

  for (auto& client : clients) {
    expect_error(client->request(verb::get, kKeys, {}, with_key(doomed)), 401, "INVALID_API_KEY");
  }
  for (int i = 0; i < kConnections; ++i) {
    expect_error(get(keys_path(), doomed), 401, "INVALID_API_KEY");
  }
  // The revoking key still works, on every connection.
  for (auto& client : clients) {
    EXPECT_EQ(client->request(verb::get, kKeys, {}, with_key(first_key_)).result_int(), 200);
  }
  // The revoked key is still listed, marked.
  bool listed = false;
  json::object listing = body_of(get(keys_path(), first_key_));
  for (const json::value& item : listing.at("data").as_array()) {
    if (item.as_object().at("id").as_string() == id_of(created)) {
      listed = true;
      EXPECT_TRUE(item.as_object().at("revoked_at").is_string()) << item;
    }
  }
  EXPECT_TRUE(listed);
}

TEST_F(ApiKeysTest, RevokingTwiceIsAConflict) {
  json::object created = create("twice", first_key_);
  ASSERT_EQ(remove(id_of(created), first_key_).result_int(), 200);
  expect_error(remove(id_of(created), first_key_), 409, "CONFLICT");
}

TEST_F(ApiKeysTest, AKeyCanRevokeItself) {
  json::object created = create("self", first_key_);
  std::string self = raw_key_of(created);
  ASSERT_EQ(remove(id_of(created), self).result_int(), 200);
  expect_error(get(keys_path(), self), 401, "INVALID_API_KEY");
}

TEST_F(ApiKeysTest, RevokingAnUnknownKeyIsNotFound) {
  json::object body = expect_error(remove("key-00000000", first_key_), 404, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body.at("message").as_string(), "API key not found: key-00000000");
  body = expect_error(remove("key-nope", first_key_), 404, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body.at("message").as_string(), "API key not found: key-nope");
}

// ---------------------------------------------------------------------------------------------
// Two accounts

TEST_F(ApiKeysTest, AccountsSeeAndRevokeOnlyTheirOwnKeys) {
  storage::Store& store = server_->app().store();
  auto created_b = store_write<storage::CreatedApiKey>(writes_, store, [](storage::Connection& db) {
    auto account = storage::create_account(db, "tenant-b", storage::Plan::starter);
    return storage::create_api_key(db, account.id, "b key");
  });
  std::string key_b = created_b.raw_key;
  json::object a_second = create("a second", first_key_);

  // B lists only its own key.
  ClientResponse listed_b = get(keys_path(), key_b);
  ASSERT_EQ(listed_b.result_int(), 200) << listed_b.body();
  json::array data_b = body_of(listed_b).at("data").as_array();
  ASSERT_EQ(data_b.size(), 1u) << listed_b.body();
  EXPECT_EQ(data_b[0].as_object().at("id").as_string(), created_b.key.id);
  EXPECT_EQ(listed_b.body().find(id_of(a_second)), std::string::npos);

  // A does not see B's key.
  ClientResponse listed_a = get(keys_path(), first_key_);
  EXPECT_EQ(body_of(listed_a).at("data").as_array().size(), 2u);
  EXPECT_EQ(listed_a.body().find(created_b.key.id), std::string::npos) << listed_a.body();

  // B cannot revoke A's key, and the attempt changes nothing.
  json::object forbidden = expect_error(remove(id_of(a_second), key_b), 403, "FORBIDDEN");
  EXPECT_EQ(forbidden.at("message").as_string().find(raw_key_of(a_second)), std::string::npos);
  EXPECT_EQ(get(keys_path(), raw_key_of(a_second)).result_int(), 200);
  expect_error(remove(id_of(a_second), key_b), 403, "FORBIDDEN");
  // Nor A B's.
  expect_error(remove(created_b.key.id, first_key_), 403, "FORBIDDEN");
  EXPECT_EQ(get(keys_path(), key_b).result_int(), 200);

  // A key B creates belongs to B.
  json::object b_second = create("b second", key_b);
  EXPECT_EQ(body_of(get(keys_path(), key_b)).at("data").as_array().size(), 2u);
  EXPECT_EQ(body_of(get(keys_path(), first_key_)).at("data").as_array().size(), 2u);
  EXPECT_EQ(remove(id_of(b_second), key_b).result_int(), 200);
}

TEST_F(ApiKeysTest, ARevokedKeysAccountCannotBeReachedThroughIt) {
  // Revoking A's key from A, then B probing the id, gets 403 (not 409): ownership first.
  json::object created = create("gone", first_key_);
  ASSERT_EQ(remove(id_of(created), first_key_).result_int(), 200);
  auto created_b = store_write<storage::CreatedApiKey>(
      writes_, server_->app().store(), [](storage::Connection& db) {
        auto account = storage::create_account(db, "tenant-b", storage::Plan::starter);
        return storage::create_api_key(db, account.id, "b key");
      });
  expect_error(remove(id_of(created), created_b.raw_key), 403, "FORBIDDEN");
}

// ---------------------------------------------------------------------------------------------
// Pagination

class ApiKeysPagingTest : public ApiKeysTest {
 protected:
  static constexpr int kTotal = 60;

  void SetUp() override {
    ApiKeysTest::SetUp();
    if (HasFatalFailure()) return;
    auto account = storage::find_account_by_name(server_->app().store().reader(), "default");
    ASSERT_TRUE(account.has_value());
    account_id_ = account->id;
    store_write<bool>(writes_, server_->app().store(), [this](storage::Connection& db) {
      for (int i = 1; i < kTotal; ++i)
        storage::create_api_key(db, account_id_, "key " + std::to_string(i));
      // Two created_at values for all 60 keys: pages must break ties by id.
      db.exec("UPDATE api_keys SET created_at = 1700000000000 + (rowid % 2)");
      return true;
    });
  }

  // The account's key ids in the order of the store.
  std::vector<std::string> store_order(bool descending) {
    std::vector<std::string> ids;
    for (const auto& key : storage::list_api_keys(server_->app().store().reader(), account_id_,
                                                  descending, std::nullopt, 1000))
      ids.push_back(key.id);
    return ids;
  }

  struct Walk {
    std::vector<std::string> ids;
    std::vector<std::string> cursors;
    bool ended = false;
  };

  // Follows next_cursor from `first_target` to the end.
  Walk walk(const std::string& first_target, std::size_t limit) {
    Walk result;
    HttpClient client(server_->port());
    std::string target = first_target;
    for (int page = 0; page < 1000; ++page) {
      ClientResponse response = client.request(verb::get, target, {}, with_key(first_key_));
      EXPECT_EQ(response.result_int(), 200) << target << ": " << response.body();
      if (response.result_int() != 200) return result;
      json::object body = body_of(response);
      const json::array& data = body.at("data").as_array();
      EXPECT_LE(data.size(), limit);
      for (const json::value& item : data)
        result.ids.emplace_back(item.as_object().at("id").as_string());
      if (body.at("next_cursor").is_null()) {
        result.ended = true;
        return result;
      }
      EXPECT_EQ(data.size(), limit) << "a short page with a next_cursor";
      std::string cursor(body.at("next_cursor").as_string());
      result.cursors.push_back(cursor);
      target = first_target + "&cursor=" + cursor;
    }
    return result;
  }

  std::string account_id_;
};

TEST_F(ApiKeysPagingTest, AscendingPagesOfSevenVisitEveryKeyOnce) {
  std::vector<std::string> expected = store_order(false);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kTotal));
  Walk walked = walk(keys_path("?limit=7&sort=created_at:asc"), 7);
  EXPECT_TRUE(walked.ended);
  EXPECT_EQ(walked.cursors.size(), 8u);  // 9 pages: 8 of 7, then 4
  EXPECT_EQ(std::set<std::string>(walked.ids.begin(), walked.ids.end()).size(), walked.ids.size())
      << "duplicates";
  EXPECT_TRUE(walked.ids == expected) << "order, gap or duplicate";
}

TEST_F(ApiKeysPagingTest, DefaultSortIsNewestFirst) {
  std::vector<std::string> expected = store_order(true);
  Walk walked = walk(keys_path("?limit=7"), 7);
  EXPECT_TRUE(walked.ended);
  EXPECT_TRUE(walked.ids == expected) << "order, gap or duplicate";
  Walk explicit_sort = walk(keys_path("?limit=7&sort=created_at:desc"), 7);
  EXPECT_TRUE(explicit_sort.ids == expected);
}

TEST_F(ApiKeysPagingTest, DefaultLimitIs25AndTheMaximum100) {
  json::object page = body_of(get(keys_path(), first_key_));
  EXPECT_EQ(page.at("data").as_array().size(), 25u);
  EXPECT_TRUE(page.at("next_cursor").is_string());
  json::object all = body_of(get(keys_path("?limit=100"), first_key_));
  EXPECT_EQ(all.at("data").as_array().size(), 60u);
  EXPECT_TRUE(all.at("next_cursor").is_null());
  json::object exact = body_of(get(keys_path("?limit=60"), first_key_));
  EXPECT_EQ(exact.at("data").as_array().size(), 60u);
  EXPECT_TRUE(exact.at("next_cursor").is_null()) << "a next_cursor leading to an empty page";
  json::object one = body_of(get(keys_path("?limit=1"), first_key_));
  EXPECT_EQ(one.at("data").as_array().size(), 1u);
}

TEST_F(ApiKeysPagingTest, InvalidLimitsAreValidationErrors) {
  for (std::string_view limit :
       {"0", "-1", "101", "abc", "", "1.5", "7x", "%20", "99999999999999999999"}) {
    SCOPED_TRACE(std::string(limit));
    expect_validation_error(get(keys_path("?limit=", limit), first_key_), "limit");
  }
}

TEST_F(ApiKeysPagingTest, InvalidSortsAreValidationErrors) {
  for (std::string_view sort : {"name:desc", "created_at:sideways", "id:asc", "created_at:DESC", "",
                                ":asc", "created_at:asc:x", "revoked_at:desc"}) {
    SCOPED_TRACE(std::string(sort));
    expect_validation_error(get(keys_path("?sort=", sort), first_key_), "sort");
  }
}

TEST_F(ApiKeysPagingTest, TamperedForeignOrGarbageCursorsAreInvalidCursor) {
  std::string asc = keys_path("?limit=7&sort=created_at:asc");
  json::object page = body_of(get(asc, first_key_));
  ASSERT_TRUE(page.at("next_cursor").is_string());
  std::string cursor(page.at("next_cursor").as_string());
  ASSERT_EQ(get(asc + "&cursor=" + cursor, first_key_).result_int(), 200);
  std::size_t dot = cursor.find('.');
  ASSERT_NE(dot, std::string::npos) << cursor;

  // One character changed, in the payload and in the signature.
  for (std::size_t position : {std::size_t{0}, dot / 2, dot - 1, dot + 1, cursor.size() - 1}) {
    std::string tampered = cursor;
    tampered[position] = tampered[position] == 'A' ? 'B' : 'A';
    SCOPED_TRACE(tampered);
    expect_error(get(asc + "&cursor=" + tampered, first_key_), 400, "INVALID_CURSOR");
  }
  // A cursor of another sort.
  expect_error(get(keys_path("?limit=7&sort=created_at:desc&cursor=", cursor), first_key_), 400,
               "INVALID_CURSOR");
  expect_error(get(keys_path("?limit=7&cursor=", cursor), first_key_), 400, "INVALID_CURSOR");
  // Garbage.
  for (std::string_view garbage : {"!!!", "", ".", "abc", "abc.def", "e30.e30", "%00"}) {
    SCOPED_TRACE(std::string(garbage));
    expect_error(get(asc + "&cursor=" + std::string(garbage), first_key_), 400, "INVALID_CURSOR");
  }
  // The same cursor with another limit is fine: the cursor is only a position.
  EXPECT_EQ(get(keys_path("?limit=3&sort=created_at:asc&cursor=", cursor), first_key_).result_int(),
            200);
}

// The query handed to the handlers is a view into the request target, not NUL-terminated: the
// parameter must end where the view ends. (Boost.URL 1.81's parse_query/params_view re-measure
// the string up to a NUL, boostorg/url#757, and read the bytes after the view.)
TEST(QueryParameter, ReadsOnlyTheGivenView) {
  std::string target = "/v1/dashboard/api-keys?limit=1&sort=created_at:asc";
  std::string buffer = target + "00garbage HTTP/1.1";
  std::string_view view(buffer.data(), target.size());
  std::string_view query = view.substr(view.find('?') + 1);
  EXPECT_EQ(http::query_parameter(query, "sort"), std::optional<std::string>("created_at:asc"));
  EXPECT_EQ(http::query_parameter(query, "limit"), std::optional<std::string>("1"));

  std::string single = "limit=1";
  std::string single_buffer = single + "00";
  std::string_view single_view(single_buffer.data(), single.size());
  EXPECT_EQ(http::query_parameter(single_view, "limit"), std::optional<std::string>("1"));
}

// ---------------------------------------------------------------------------------------------
// Restart

TEST(ApiKeysRestart, KeysSurviveARestartOnTheSameDataDirectory) {
  auto first = std::make_unique<TestServer>();
  ASSERT_TRUE(first->app().first_api_key().has_value());
  std::string first_key = *first->app().first_api_key();
  std::string data_dir = first->app().config().data_dir;

  std::string kept_key;
  std::string kept_id;
  std::string revoked_key;
  std::string cursor;
  {
    HttpClient client(first->port());
    ClientResponse created =
        client.request(verb::post, kKeys, R"({"name":"kept"})", json_with_key(first_key));
    ASSERT_EQ(created.result_int(), 201) << created.body();
    kept_key = std::string(body_of(created).at("key").as_string());
    kept_id = std::string(body_of(created).at("id").as_string());
    ClientResponse doomed =
        client.request(verb::post, kKeys, R"({"name":"doomed"})", json_with_key(first_key));
    ASSERT_EQ(doomed.result_int(), 201);
    revoked_key = std::string(body_of(doomed).at("key").as_string());
    std::string doomed_id(body_of(doomed).at("id").as_string());
    ASSERT_EQ(client.request(verb::delete_, keys_path("/", doomed_id), {}, with_key(first_key))
                  .result_int(),
              200);
    json::object page = body_of(client.request(verb::get, keys_path("?limit=1&sort=created_at:asc"),
                                               {}, with_key(first_key)));
    ASSERT_TRUE(page.at("next_cursor").is_string());
    cursor = std::string(page.at("next_cursor").as_string());
  }
  first->stop();

  Config config = test_config();
  std::filesystem::remove_all(config.data_dir);
  config.data_dir = data_dir;
  TestServer second(std::move(config));
  EXPECT_FALSE(second.app().first_api_key().has_value()) << "a second first key was created";
  EXPECT_EQ(storage::count_accounts(second.app().store().reader()), 1);

  HttpClient client(second.port());
  for (const std::string& key : {first_key, kept_key}) {
    ClientResponse listed = client.request(verb::get, kKeys, {}, with_key(key));
    ASSERT_EQ(listed.result_int(), 200) << listed.body();
    json::array data = body_of(listed).at("data").as_array();
    EXPECT_EQ(data.size(), 3u) << listed.body();
    EXPECT_NE(listed.body().find(kept_id), std::string::npos);
  }
  expect_error(client.request(verb::get, kKeys, {}, with_key(revoked_key)), 401, "INVALID_API_KEY");
  // Cursors are signed with a key derived from the persisted master key: still valid.
  ClientResponse next =
      client.request(verb::get, keys_path("?limit=1&sort=created_at:asc&cursor=", cursor), {},
                     with_key(first_key));
  EXPECT_EQ(next.result_int(), 200) << next.body();
  // `second` is destroyed before `first`, which then removes the shared data directory.
}

}  // namespace
}  // namespace seoagents::testing
