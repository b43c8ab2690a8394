// The object store: article bodies and reports kept whole, addressed by S3-style keys such as
// "accounts/acct-1/articles/art-1/body.html". ObjectStore is the interface (a later backend,
// e.g. S3, implements the same five calls); FilesystemObjectStore keeps each object as a file
// under a root directory (<data>/objects), replaced atomically: a reader sees the old bytes or
// the new ones, never a mix, and nothing half-written is ever visible.
//
// Threads: every call may run on any thread at the same time as any other; the filesystem
// backend holds no mutable state (the kernel's rename is the only synchronisation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace seoagents::storage {

// Longest key, in bytes (S3's limit).
inline constexpr std::size_t kMaxObjectKeyBytes = 1024;
// Longest segment between slashes, in bytes (a file name on Linux).
inline constexpr std::size_t kMaxObjectKeySegmentBytes = 255;
// A max_bytes for get() when the caller has no better bound.
inline constexpr std::size_t kDefaultMaxObjectBytes = 16 * 1024 * 1024;
// Most keys one list() call returns (S3's page size).
inline constexpr std::size_t kMaxObjectListLimit = 1000;

struct ObjectError {
  enum class Kind {
    // The key (or list prefix) breaks the rules of check_object_key().
    invalid_key,
    // No object has this key.
    not_found,
    // The object is larger than the caller's max_bytes.
    too_large,
    // The key is a "directory" of other keys, or one of its prefixes is an object: "a/b" and
    // "a/b/c" cannot both exist in the filesystem backend.
    conflict,
    // The file system refused: full disk, permissions, I/O error.
    io,
  };
  Kind kind;
  // For logs: what failed, on which key, and the system's reason (strerror) when there is one.
  std::string message;
};

// What head() knows about an object.
struct ObjectInfo {
  // Bytes.
  std::uint64_t size = 0;
  // Milliseconds since the Unix epoch of the last put().
  std::int64_t modified_at = 0;
};

// A page of keys from list().
struct ObjectListing {
  // Keys in byte order.
  std::vector<std::string> keys;
  // True when more keys match: ask again with start_after = keys.back().
  bool truncated = false;
};

// Valid keys: 1 to 1024 bytes of segments separated by single '/', each segment 1 to 255 bytes
// of A-Z a-z 0-9 and ! - _ . * ' ( ) (S3's "safe characters"), not starting with '.' (so "."
// and ".." are out, and names that start with '.' stay free for the store's temporary files).
// Hence no leading or trailing '/', no "//", no spaces, backslashes, NUL, control or non-ASCII
// bytes. Done, or an invalid_key error saying which rule the key breaks.
Expected<Done, ObjectError> check_object_key(std::string_view key);

// The Content-Type to serve an object with, from its key's extension: .html, .md, .txt, .json,
// .csv, .xml; application/octet-stream for anything else.
std::string_view content_type_for_key(std::string_view key);

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Stores `bytes` under `key`, replacing what was there, all or nothing; durable on success.
  virtual Expected<Done, ObjectError> put(std::string_view key, std::string_view bytes) = 0;
  // The whole object; too_large when it has more than `max_bytes` (kDefaultMaxObjectBytes
  // unless the caller knows better).
  virtual Expected<std::string, ObjectError> get(std::string_view key, std::size_t max_bytes) = 0;
  // Size and time of the object, without reading it.
  virtual Expected<ObjectInfo, ObjectError> head(std::string_view key) = 0;
  // Removes the object. Removing a key that has no object succeeds (as in S3), so an
  // at-least-once job can repeat it.
  virtual Expected<Done, ObjectError> remove(std::string_view key) = 0;
  // Up to `limit` (at most kMaxObjectListLimit) keys that start with `prefix` and sort after
  // `start_after` ("" for the first page), in byte order. The prefix's complete segments (up to
  // its last '/') must be valid key segments.
  virtual Expected<ObjectListing, ObjectError> list(std::string_view prefix, std::size_t limit,
                                                    std::string_view start_after) = 0;
};

// Objects as files: key "a/b/c.html" is <root>/a/b/c.html. put() writes a temporary file
// (".tmp-…", mode 0600) beside the target, fsyncs it, renames it over the target and fsyncs the
// directory; missing directories are created (mode 0700), the root included. A temporary file
// left by a crash is never returned: no key can name it and list() skips it. Directories
// emptied by remove() stay (a put may be creating a file in them at that moment).
class FilesystemObjectStore final : public ObjectStore {
 public:
  explicit FilesystemObjectStore(std::string root);

  const std::string& root() const { return root_; }

  Expected<Done, ObjectError> put(std::string_view key, std::string_view bytes) override;
  Expected<std::string, ObjectError> get(std::string_view key, std::size_t max_bytes) override;
  Expected<ObjectInfo, ObjectError> head(std::string_view key) override;
  Expected<Done, ObjectError> remove(std::string_view key) override;
  Expected<ObjectListing, ObjectError> list(std::string_view prefix, std::size_t limit,
                                            std::string_view start_after) override;

 private:
  std::string path_of(std::string_view key) const;

  std::string root_;
};

}  // namespace seoagents::storage
