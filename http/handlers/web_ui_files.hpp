// The web dashboard's files (web/, built by npm), compiled into the binary by
// tools/embed_files.cmake: each with its content type, its ETag and its gzip-compressed bytes.
#pragma once

#include <span>
#include <string_view>

namespace seoagents::http {

struct EmbeddedFile {
  // Relative to the bundle's root: "index.html", "assets/index-3f9a1c2e.js".
  std::string_view path;
  std::string_view content_type;
  // A strong validator, quoted: "\"<first 32 hex digits of the SHA-256>\"".
  std::string_view etag;
  std::string_view plain;
  std::string_view gzip;
};

// Every file of the bundle, sorted by path; empty in a build without the dashboard.
std::span<const EmbeddedFile> web_ui_files();

}  // namespace seoagents::http
