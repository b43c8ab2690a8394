// Helpers for over-the-wire tests of the REST resources: JSON bodies and the error envelope, a
// client that sends one API key, store writes from the test thread (second accounts, bulk rows)
// and list walks that follow next_cursor.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "storage/accounts.hpp"
#include "storage/store.hpp"
#include "tests/support/http_client.hpp"

namespace seoagents::testing {

namespace json = boost::json;

// The body as a JSON object; throws std::runtime_error when it is not one.
json::object body_of(const ClientResponse& response);

// Checks status and Content-Type (gtest failures, not exceptions) and returns the JSON body.
json::object expect_json(const ClientResponse& response, unsigned status);

// Checks the error envelope (status, code, message, request_id) and returns the body.
json::object expect_error(const ClientResponse& response, unsigned status, std::string_view code);

// The fields named in a VALIDATION_ERROR's details.
std::set<std::string> detail_fields(const json::object& body);

// A 400 VALIDATION_ERROR whose details name `field`.
void expect_validation_error(const ClientResponse& response, const std::string& field);

// The string member `name` of `object` ("" when it is missing or not a string).
std::string text_of(const json::object& object, std::string_view name);

// The member names of `object`.
std::set<std::string> member_names(const json::object& object);

// `a`, `b`, `c`… appended (GCC 12 at -O3 warns on some operator+ chains of literals).
std::string join(std::string_view a, std::string_view b = {}, std::string_view c = {},
                 std::string_view d = {}, std::string_view e = {}, std::string_view f = {});

// Requests to a TestServer with one API key; a fresh connection for each request.
class Api {
 public:
  Api(std::uint16_t port, std::string key) : port_(port), key_(std::move(key)) {}

  ClientResponse get(std::string_view target) const;
  // POST and PUT send the body as application/json.
  ClientResponse post(std::string_view target, std::string body) const;
  ClientResponse put(std::string_view target, std::string body) const;
  ClientResponse remove(std::string_view target) const;

  // POST that must answer `status` (201 by default); returns the JSON body.
  json::object create(std::string_view target, std::string body, unsigned status = 201) const;

  const std::string& key() const { return key_; }
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::string key_;
};

// What walking a list from its first page to its last found.
struct ListWalk {
  // Every item of every page, in order.
  std::vector<json::object> items;
  // Number of pages read.
  int pages = 0;
  // The last page had next_cursor null (false: a request failed or the page bound ran out).
  bool ended = false;
};

// Follows next_cursor from `first_target` (which must already hold a '?'), calling `between`
// (when given) after each page that has a next one, before the next is read.
ListWalk walk_list(const Api& api, const std::string& first_target,
                   const std::function<void(int page)>& between = {});

// The "id" members of `items`, in order.
std::vector<std::string> ids_of(const std::vector<json::object>& items);

// Runs a write on the app's store from the test thread and waits for it. `context` must outlive
// the store's writer thread, which may still be inside its post() to it when run() returns:
// declare it before the TestServer.
template <class T>
T store_write(asio::io_context& context, storage::Store& store,
              std::function<T(storage::Connection&)> work) {
  // co_spawn needs a default-constructible result: Expected is wrapped in an optional.
  auto future = asio::co_spawn(
      context,
      [&]() -> asio::awaitable<std::optional<Expected<T, storage::StorageError>>> {
        co_return co_await store.write<T>(std::move(work));
      },
      asio::use_future);
  context.run();
  context.restart();
  auto result = future.get();
  if (!*result) throw std::runtime_error("store write failed: " + result->error().detail);
  return std::move(**result);
}

// An account and a key of it, created directly in the store.
struct TestAccount {
  std::string account_id;
  std::string key;
};
TestAccount create_account_with_key(asio::io_context& context, storage::Store& store,
                                    std::string_view name,
                                    storage::Plan plan = storage::Plan::starter);

// The id of the account a fresh server created with its first key ("default").
std::string default_account_id(storage::Store& store);

}  // namespace seoagents::testing
