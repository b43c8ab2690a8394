// Fuzz target: the JSON body of every POST and PUT endpoint. The first byte picks the route
// (every POST/PUT route of the router, so new ones are covered without a change here), the rest
// is the body, sent with the App's API key and with each `{id}` of the route's path an existing
// resource of the account (fuzz/app_under_fuzz.hpp), so the body reaches the handler's
// validation and, when it passes, the write.
#include "fuzz/app_under_fuzz.hpp"
#include "fuzz/targets.hpp"

namespace seoagents::fuzz {
namespace {

// `pattern` with each `{name}` segment replaced by an id from the collection before it
// ("/v1/dashboard/agents/{id}" → the agent's id).
std::string target_for(const AppUnderFuzz& app, std::string_view pattern) {
  std::string target;
  std::string_view collection;
  while (!pattern.empty()) {
    std::size_t slash = pattern.find('/', 1);
    std::string_view segment = pattern.substr(0, slash);
    pattern.remove_prefix(segment.size());
    if (segment.size() > 2 && segment[1] == '{') {
      target += '/';
      target += app.id_for(collection);
      continue;
    }
    target += segment;
    collection = segment.substr(1);
  }
  return target;
}

}  // namespace

int json_body(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  AppUnderFuzz& app = AppUnderFuzz::instance();
  const auto& routes = app.json_routes();
  const auto& [method, pattern] = routes[data[0] % routes.size()];
  http::Request request(method, target_for(app, pattern), 11);
  request.set(http::bhttp::field::host, "fuzz.test");
  request.set("X-API-Key", app.key());
  request.set(http::bhttp::field::content_type, "application/json");
  request.body() = app.substitute(as_text(data + 1, size - 1));
  request.prepare_payload();
  check_answer(app.answer(request, data[0] % 2));
  return 0;
}

}  // namespace seoagents::fuzz
