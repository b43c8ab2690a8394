// REST test helpers: JSON checks, the keyed client, list walks and store-side accounts.
#include "tests/support/api_helpers.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace seoagents::testing {

using bhttp::field;
using bhttp::verb;

json::object body_of(const ClientResponse& response) {
  json::value value = json::parse(response.body());
  if (!value.is_object()) throw std::runtime_error("not a JSON object: " + response.body());
  return value.as_object();
}

json::object expect_json(const ClientResponse& response, unsigned status) {
  EXPECT_EQ(response.result_int(), status) << response.body();
  EXPECT_EQ(response[field::content_type], "application/json");
  return body_of(response);
}

json::object expect_error(const ClientResponse& response, unsigned status, std::string_view code) {
  json::object body = expect_json(response, status);
  EXPECT_EQ(text_of(body, "code"), code) << response.body();
  EXPECT_FALSE(text_of(body, "message").empty()) << response.body();
  EXPECT_FALSE(text_of(body, "request_id").empty()) << response.body();
  return body;
}

std::set<std::string> detail_fields(const json::object& body) {
  std::set<std::string> fields;
  if (!body.contains("details") || !body.at("details").is_array()) return fields;
  for (const json::value& detail : body.at("details").as_array()) {
    if (detail.is_object()) fields.insert(text_of(detail.as_object(), "field"));
  }
  return fields;
}

void expect_validation_error(const ClientResponse& response, const std::string& field_name) {
  json::object body = expect_error(response, 400, "VALIDATION_ERROR");
  EXPECT_EQ(detail_fields(body).count(field_name), 1u)
      << "details do not name " << field_name << ": " << response.body();
}

std::string text_of(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->as_string());
}

std::set<std::string> member_names(const json::object& object) {
  std::set<std::string> names;
  for (const auto& member : object)
    names.insert(std::string(member.key()));
  return names;
}

std::string join(std::string_view a, std::string_view b, std::string_view c, std::string_view d,
                 std::string_view e, std::string_view f) {
  std::string text;
  text.reserve(a.size() + b.size() + c.size() + d.size() + e.size() + f.size());
  text.append(a).append(b).append(c).append(d).append(e).append(f);
  return text;
}

ClientResponse Api::get(std::string_view target) const {
  return HttpClient(port_).request(verb::get, target, {}, {{"X-API-Key", key_}});
}

ClientResponse Api::post(std::string_view target, std::string body) const {
  return HttpClient(port_).request(verb::post, target, std::move(body),
                                   {{"X-API-Key", key_}, {"Content-Type", "application/json"}});
}

ClientResponse Api::put(std::string_view target, std::string body) const {
  return HttpClient(port_).request(verb::put, target, std::move(body),
                                   {{"X-API-Key", key_}, {"Content-Type", "application/json"}});
}

ClientResponse Api::remove(std::string_view target) const {
  return HttpClient(port_).request(verb::delete_, target, {}, {{"X-API-Key", key_}});
}

json::object Api::create(std::string_view target, std::string body, unsigned status) const {
  ClientResponse response = post(target, std::move(body));
  return expect_json(response, status);
}

ListWalk walk_list(const Api& api, const std::string& first_target,
                   const std::function<void(int page)>& between) {
  ListWalk walk;
  std::string target = first_target;
  // A bound on the pages, so a cursor that never ends fails the test instead of hanging it.
  for (int page = 0; page < 10'000; ++page) {
    ClientResponse response = api.get(target);
    EXPECT_EQ(response.result_int(), 200) << target << ": " << response.body();
    if (response.result_int() != 200) return walk;
    json::object body = body_of(response);
    ++walk.pages;
    for (const json::value& item : body.at("data").as_array())
      walk.items.push_back(item.as_object());
    const json::value& next = body.at("next_cursor");
    if (next.is_null()) {
      walk.ended = true;
      return walk;
    }
    if (between) between(page);
    target = join(first_target, "&cursor=", next.as_string());
  }
  return walk;
}

std::vector<std::string> ids_of(const std::vector<json::object>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const json::object& item : items)
    ids.push_back(text_of(item, "id"));
  return ids;
}

TestAccount create_account_with_key(asio::io_context& context, storage::Store& store,
                                    std::string_view name, storage::Plan plan) {
  std::string account_name(name);
  auto created = store_write<storage::CreatedApiKey>(
      context, store, [account_name, plan](storage::Connection& db) {
        auto account = storage::create_account(db, account_name, plan);
        return storage::create_api_key(db, account.id, "test key");
      });
  return {created.key.account_id, created.raw_key};
}

std::string default_account_id(storage::Store& store) {
  auto account = storage::find_account_by_name(store.reader(), "default");
  if (!account) throw std::runtime_error("no default account");
  return account->id;
}

}  // namespace seoagents::testing
