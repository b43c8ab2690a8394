// The backup file format of `seoagents backup` / `restore`: a self-describing archive of named
// files, each checked by SHA-256, with a manifest and a checksum of the whole file at its end.
//
// Format version 1 (all header lines are ASCII and end in "\n"):
//
//   SEOAGENTS-BACKUP 1                      magic line
//   F <size> <path>                         one record per file: its header line, then exactly
//   <size bytes>                            <size> bytes of content
//   …
//   M <size>                                the manifest: <size> bytes of JSON (below)
//   <size bytes>
//   S <sha256 hex>                          SHA-256 of every byte before this line
//   (end of file: nothing may follow)
//
// The manifest: {"format":1,"seoagents_version":"…","created_at":"RFC 3339","schema_version":N,
// "objects_skipped":N,"files":[{"path":"…","size":N,"sha256":"…"},…]}, listing the records in
// their order. Paths are "seoagents.db" (the database, always first), "master.key" (when the
// data directory has one) and "objects/<object key>" (article bodies, versions and reports; keys
// follow storage::check_object_key, so no path can leave the data directory).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"

namespace seoagents::backup {

inline constexpr std::string_view kMagicLine = "SEOAGENTS-BACKUP 1\n";
inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kDatabaseEntry = "seoagents.db";
inline constexpr std::string_view kMasterKeyEntry = "master.key";
inline constexpr std::string_view kObjectsPrefix = "objects/";

// One file in the archive.
struct ArchiveEntry {
  std::string path;
  std::uint64_t size = 0;
  // 64 lowercase hex characters.
  std::string sha256;
};

struct Manifest {
  std::string seoagents_version;
  std::string created_at;
  int schema_version = 0;
  // Objects listed but deleted (by the article sweep) before they could be copied.
  std::uint64_t objects_skipped = 0;
  std::vector<ArchiveEntry> files;
};

// An incremental SHA-256 (defined in backup_archive.cpp).
class Sha256;

// Whether `path` may name an archive entry (see the paths above).
bool is_valid_entry_path(std::string_view path);

// Writes an archive to an open file descriptor, hashing as it goes. Every call returns the
// errno-based reason of a failed write, or empty.
class ArchiveWriter {
 public:
  explicit ArchiveWriter(int fd);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  std::string begin();
  // Copies exactly `size` bytes from `source_fd` (from its current offset) as entry `path`.
  std::string add_file(const std::string& path, int source_fd, std::uint64_t size);
  // Writes the manifest (the entries added so far, with `manifest`'s other fields) and the
  // closing checksum.
  std::string finish(Manifest manifest);

 private:
  std::string write(std::string_view bytes);

  int fd_;
  // Of every byte written, for the closing checksum.
  std::unique_ptr<Sha256> whole_;
  std::vector<ArchiveEntry> entries_;
};

// Receives each entry's bytes while an archive is read (`extract` below): open_entry once per
// entry, then write(...) calls for its content, then close_entry. Each returns an error or empty.
struct EntrySink {
  std::function<std::string(const ArchiveEntry& entry)> open_entry;
  std::function<std::string(std::string_view bytes)> write;
  std::function<std::string()> close_entry;
};

// Reads the whole archive at `path` and checks everything: the magic line, every record, the
// manifest against the records (paths, sizes, SHA-256s, order, no duplicates, the database
// first), the closing checksum and that nothing follows it. With a sink, each entry's bytes go to
// it as they are read (an entry whose hash turns out wrong still reached the sink: the caller
// discards what it wrote when this fails). The manifest, or why the archive is refused.
Expected<Manifest, std::string> read_archive(const std::string& path, EntrySink* sink = nullptr);

}  // namespace seoagents::backup
