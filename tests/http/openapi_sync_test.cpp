// Tests that docs/openapi.yaml (embedded as kOpenApiJson) and the server's route table agree.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "http/openapi_document.hpp"
#include "http/router.hpp"
#include "http/routes.hpp"

namespace seoagents::http {
namespace {

namespace json = boost::json;

using Operation = std::pair<std::string, std::string>;  // (METHOD, path)

const std::set<std::string> kOperationKeys = {"get",     "put",  "post",  "delete",
                                              "options", "head", "patch", "trace"};

std::string upper(std::string_view text) {
  std::string out;
  for (char c : text)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string describe(const std::set<Operation>& operations) {
  std::ostringstream out;
  for (const auto& [method, path] : operations)
    out << "\n  " << method << " " << path;
  return out.str();
}

json::object document() {
  json::error_code ec;
  json::value value = json::parse(kOpenApiJson, ec);
  EXPECT_FALSE(ec) << "kOpenApiJson is not JSON: " << ec.message();
  if (ec || !value.is_object()) return {};
  return value.as_object();
}

std::set<Operation> document_operations(const json::object& doc) {
  std::set<Operation> operations;
  const json::value* paths = doc.if_contains("paths");
  if (paths == nullptr || !paths->is_object()) return operations;
  for (const auto& [path, item] : paths->as_object()) {
    if (!item.is_object()) continue;
    for (const auto& [key, operation] : item.as_object()) {
      if (!kOperationKeys.count(std::string(key))) continue;  // summary, parameters, ...
      std::string method = upper(key);
      if (method == "HEAD" || method == "OPTIONS") continue;  // implicit in the server
      operations.emplace(method, std::string(path));
    }
  }
  return operations;
}

std::set<Operation> router_operations(const Router& router) {
  std::set<Operation> operations;
  for (const auto& route : router.routes()) {
    std::string method(bhttp::to_string(route->method));
    if (method == "HEAD" || method == "OPTIONS") continue;
    operations.emplace(method, route->pattern);
  }
  return operations;
}

Router api_router() {
  Router router;
  register_api_routes(router, {});
  return router;
}

TEST(OpenApiSync, DocumentIsOpenApi31WithPaths) {
  json::object doc = document();
  ASSERT_TRUE(doc.contains("openapi"));
  ASSERT_TRUE(doc.at("openapi").is_string());
  std::string version(doc.at("openapi").as_string());
  EXPECT_EQ(version.rfind("3.1.", 0), 0u) << version;
  ASSERT_TRUE(doc.contains("info"));
  EXPECT_TRUE(doc.at("info").as_object().contains("title"));
  EXPECT_TRUE(doc.at("info").as_object().contains("version"));
  ASSERT_TRUE(doc.contains("paths"));
  EXPECT_TRUE(doc.at("paths").is_object());
  EXPECT_FALSE(doc.at("paths").as_object().empty());
}

TEST(OpenApiSync, EveryRouteIsDocumentedAndEveryDocumentedOperationIsRouted) {
  Router router = api_router();
  std::set<Operation> routed = router_operations(router);
  std::set<Operation> documented = document_operations(document());
  ASSERT_FALSE(routed.empty());

  std::set<Operation> undocumented, unrouted;
  for (const Operation& op : routed) {
    if (!documented.count(op)) undocumented.insert(op);
  }
  for (const Operation& op : documented) {
    if (!routed.count(op)) unrouted.insert(op);
  }
  EXPECT_TRUE(undocumented.empty())
      << "routes missing from docs/openapi.yaml:" << describe(undocumented);
  EXPECT_TRUE(unrouted.empty()) << "documented operations with no route:" << describe(unrouted);
  EXPECT_EQ(routed, documented);
}

TEST(OpenApiSync, TheKnownRoutesAreThere) {
  std::set<Operation> routed = router_operations(api_router());
  EXPECT_TRUE(routed.count({"GET", "/health"}));
  EXPECT_TRUE(routed.count({"GET", "/v1/dashboard/health"}));
  EXPECT_TRUE(routed.count({"GET", "/v1/openapi.json"}));
}

TEST(OpenApiSync, EveryOperationHasAnOperationIdAndResponses) {
  json::object doc = document();
  ASSERT_TRUE(doc.contains("paths"));
  std::set<std::string> ids;
  int operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    ASSERT_TRUE(item.is_object()) << path;
    for (const auto& [key, operation] : item.as_object()) {
      if (!kOperationKeys.count(std::string(key))) continue;
      ++operations;
      std::string where = upper(key) + " " + std::string(path);
      ASSERT_TRUE(operation.is_object()) << where;
      const json::object& op = operation.as_object();
      const json::value* id = op.if_contains("operationId");
      ASSERT_NE(id, nullptr) << where << " has no operationId";
      ASSERT_TRUE(id->is_string()) << where;
      EXPECT_FALSE(id->as_string().empty()) << where;
      EXPECT_TRUE(ids.insert(std::string(id->as_string())).second)
          << where << " repeats operationId " << id->as_string();
      const json::value* responses = op.if_contains("responses");
      ASSERT_NE(responses, nullptr) << where << " has no responses";
      ASSERT_TRUE(responses->is_object()) << where;
      EXPECT_FALSE(responses->as_object().empty()) << where;
    }
  }
  EXPECT_GT(operations, 0);
}

// Resolves a local "$ref" ("#/components/schemas/X") against the document, or null.
const json::value* resolve(const json::object& doc, std::string_view ref) {
  if (!ref.starts_with("#/")) return nullptr;
  const json::value* node = nullptr;
  const json::object* object = &doc;
  std::string_view rest = ref.substr(2);
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string key(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (object == nullptr) return nullptr;
    node = object->if_contains(key);
    if (node == nullptr) return nullptr;
    object = node->is_object() ? &node->as_object() : nullptr;
  }
  return node;
}

void collect_refs(const json::value& value, std::vector<std::string>& refs) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.as_object()) {
      if (key == "$ref" && child.is_string()) refs.emplace_back(child.as_string());
      collect_refs(child, refs);
    }
  } else if (value.is_array()) {
    for (const json::value& child : value.as_array())
      collect_refs(child, refs);
  }
}

TEST(OpenApiSync, EveryRefResolves) {
  json::object doc = document();
  std::vector<std::string> refs;
  collect_refs(doc, refs);
  EXPECT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    EXPECT_NE(resolve(doc, ref), nullptr) << "dangling $ref " << ref;
  }
}

TEST(OpenApiSync, EveryPathTemplateParameterIsDeclared) {
  json::object doc = document();
  ASSERT_TRUE(doc.contains("paths"));
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    std::set<std::string> in_template;
    std::string_view p(path);
    for (std::size_t open = p.find('{'); open != std::string_view::npos;
         open = p.find('{', open + 1)) {
      std::size_t close = p.find('}', open);
      ASSERT_NE(close, std::string_view::npos) << path;
      in_template.emplace(p.substr(open + 1, close - open - 1));
    }
    if (in_template.empty()) continue;
    auto declared_in = [&](const json::value* parameters, std::set<std::string>& names) {
      if (parameters == nullptr || !parameters->is_array()) return;
      for (const json::value& parameter : parameters->as_array()) {
        const json::value* p = &parameter;
        if (p->is_object() && p->as_object().contains("$ref")) {
          const json::value& ref = p->as_object().at("$ref");
          p = ref.is_string() ? resolve(doc, std::string(ref.as_string())) : nullptr;
        }
        if (p == nullptr || !p->is_object()) continue;
        const json::object& object = p->as_object();
        const json::value* in = object.if_contains("in");
        const json::value* name = object.if_contains("name");
        if (in != nullptr && in->is_string() && in->as_string() == "path" && name != nullptr &&
            name->is_string()) {
          names.emplace(name->as_string());
        }
      }
    };
    std::set<std::string> path_level;
    declared_in(item.as_object().if_contains("parameters"), path_level);
    for (const auto& [key, operation] : item.as_object()) {
      if (!kOperationKeys.count(std::string(key))) continue;
      std::set<std::string> names = path_level;
      declared_in(operation.as_object().if_contains("parameters"), names);
      EXPECT_EQ(names, in_template) << upper(key) << " " << path;
    }
  }
}

}  // namespace
}  // namespace seoagents::http
