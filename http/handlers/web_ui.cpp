// GET / and GET /assets/{file}: the web dashboard (web/), served from the files compiled into
// the binary (web_ui_files.hpp). The page uses only the public API with the key the user pastes;
// these routes need no credentials.
//
// index.html is revalidated on every load (no-cache, with its ETag); the bundler names every
// other file by its content's hash, so those are cached for a year. A client that accepts gzip
// gets the precompressed bytes. Every answer carries a Content-Security-Policy that allows only
// this server's own scripts, styles and connections (the WebSocket channel included), and frames
// only from this server (the article preview, in a sandboxed frame).
#include <algorithm>

#include "http/handlers/handlers.hpp"
#include "http/handlers/web_ui_files.hpp"
#include "http/pipeline.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
constexpr std::string_view kHashedFileCaching = "public, max-age=31536000, immutable";

// The bundle's file at `path`, or null.
const EmbeddedFile* find_file(std::string_view path) {
  auto files = web_ui_files();
  auto found = std::lower_bound(
      files.begin(), files.end(), path,
      [](const EmbeddedFile& file, std::string_view wanted) { return file.path < wanted; });
  return found != files.end() && found->path == path ? &*found : nullptr;
}

// The file of the bundle's assets/ folder named `name`, or null.
const EmbeddedFile* find_asset(std::string_view name) {
  std::string path = "assets/";
  path.append(name);
  return find_file(path);
}

// True when Accept-Encoding lists gzip without refusing it (q=0).
bool accepts_gzip(const Request& request) {
  std::string_view accepted = request[bhttp::field::accept_encoding];
  std::size_t at = accepted.find("gzip");
  if (at == std::string_view::npos) return false;
  std::string_view rest = accepted.substr(at + 4);
  rest = rest.substr(0, rest.find(','));
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return !(rest.starts_with(";q=0") && rest.find_first_of("123456789") == std::string_view::npos);
}

void set_page_headers(Response& response) {
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
}

Response file_response(const Request& request, const EmbeddedFile& file, std::string_view caching) {
  Response response;
  set_page_headers(response);
  response.set(bhttp::field::cache_control, caching);
  response.set(bhttp::field::etag, file.etag);
  response.set(bhttp::field::vary, "Accept-Encoding");
  if (request[bhttp::field::if_none_match] == file.etag) {
    response.result(bhttp::status::not_modified);
    return response;
  }
  response.result(bhttp::status::ok);
  response.set(bhttp::field::content_type, file.content_type);
  if (accepts_gzip(request)) {
    response.set(bhttp::field::content_encoding, "gzip");
    response.body().assign(file.gzip);
  } else {
    response.body().assign(file.plain);
  }
  return response;
}

ApiError not_built() {
  return {bhttp::status::not_found,
          "ROUTE_NOT_FOUND",
          "This server was built without the web dashboard (-DSEOAGENTS_WEB_UI=OFF); the API is "
          "at /v1/dashboard",
          {}};
}

asio::awaitable<Response> serve_index(RequestContext& context) {
  const EmbeddedFile* index = find_file("index.html");
  if (index == nullptr) co_return error_response(context, not_built());
  co_return file_response(context.request, *index, "no-cache");
}

asio::awaitable<Response> serve_asset(RequestContext& context) {
  const EmbeddedFile* file = find_asset(context.param("file"));
  if (file == nullptr) co_return error_response(context, errors::route_not_found(context.path));
  co_return file_response(context.request, *file, kHashedFileCaching);
}

}  // namespace

void add_web_ui_routes(Router& router) {
  router.add(bhttp::verb::get, "/", serve_index, Access::open);
  router.add(bhttp::verb::get, "/assets/{file}", serve_asset, Access::open);
}

}  // namespace seoagents::http::handlers
