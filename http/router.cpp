// A segment trie: each node has literal children, at most one parameter child, and the routes
// that end there by method. Matching walks one segment at a time and backtracks from a literal
// to the parameter branch when the literal branch leads nowhere.
#include "http/router.hpp"

#include <map>
#include <stdexcept>

namespace seoagents::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> parameter;
  std::string parameter_name;
  std::vector<const Route*> routes;
};

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits off the first segment of "/a/b" → ("a", "/b").
std::pair<std::string_view, std::string_view> next_segment(std::string_view path) {
  path.remove_prefix(1);
  std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return {path, {}};
  return {path.substr(0, slash), path.substr(slash)};
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

bool percent_decode_segment(std::string_view encoded, std::string& out) {
  out.clear();
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out += encoded[i];
      continue;
    }
    if (i + 2 >= encoded.size()) return false;
    int high = hex_value(encoded[i + 1]);
    int low = hex_value(encoded[i + 2]);
    if (high < 0 || low < 0) return false;
    char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '/' || decoded == '\0') return false;
    out += decoded;
    i += 2;
  }
  return true;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(bhttp::verb method, std::string pattern, Handler handler, Access access) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  if (pattern.size() > 1 && pattern.back() == '/') {
    throw std::invalid_argument("route pattern must not end with '/': " + pattern);
  }
  Node* node = root_.get();
  std::string_view rest = pattern;
  while (!rest.empty() && rest != "/") {
    auto [segment, tail] = next_segment(rest);
    rest = tail;
    if (segment.empty()) throw std::invalid_argument("empty segment in route: " + pattern);
    if (is_parameter(segment)) {
      std::string name(segment.substr(1, segment.size() - 2));
      if (!node->parameter) {
        node->parameter = std::make_unique<Node>();
        node->parameter_name = name;
      } else if (node->parameter_name != name) {
        throw std::invalid_argument("conflicting parameter names in route: " + pattern);
      }
      node = node->parameter.get();
      continue;
    }
    auto& child = node->literals[std::string(segment)];
    if (!child) child = std::make_unique<Node>();
    node = child.get();
  }
  for (const Route* existing : node->routes) {
    if (existing->method == method) {
      throw std::invalid_argument("duplicate route: " + pattern);
    }
  }
  routes_.push_back(
      std::make_unique<Route>(Route{method, std::move(pattern), std::move(handler), access}));
  node->routes.push_back(routes_.back().get());
}

bool Router::match_from(const Node& node, std::string_view rest, PathParams& params,
                        const Node*& found) const {
  if (rest.empty() || rest == "/") {
    if (node.routes.empty() || (rest == "/" && &node != root_.get())) return false;
    found = &node;
    return true;
  }
  auto [segment, tail] = next_segment(rest);
  if (segment.empty()) return false;  // "//" or a trailing slash
  std::string decoded;
  std::string_view literal = segment;
  if (segment.find('%') != std::string_view::npos) {
    if (!percent_decode_segment(segment, decoded)) return false;
    literal = decoded;
  }
  if (auto it = node.literals.find(literal); it != node.literals.end()) {
    if (match_from(*it->second, tail, params, found)) return true;
  }
  if (node.parameter) {
    params.push_back({node.parameter_name, std::string(literal)});
    if (match_from(*node.parameter, tail, params, found)) return true;
    params.pop_back();
  }
  return false;
}

RouteMatch Router::match(bhttp::verb method, std::string_view path) const {
  RouteMatch result;
  const Node* node = nullptr;
  if (path.empty() || path.front() != '/' || !match_from(*root_, path, result.params, node)) {
    result.params.clear();
    return result;
  }
  result.path_found = true;
  bhttp::verb wanted = method == bhttp::verb::head ? bhttp::verb::get : method;
  for (const Route* route : node->routes) {
    if (route->method == wanted) {
      result.route = route;
      return result;
    }
  }
  result.params.clear();
  for (const Route* route : node->routes) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += bhttp::to_string(route->method);
    if (route->method == bhttp::verb::get) result.allow += ", HEAD";
  }
  result.allow += ", OPTIONS";
  return result;
}

}  // namespace seoagents::http
