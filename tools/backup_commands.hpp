// `seoagents backup` and `seoagents restore`: a consistent copy of a data directory taken while
// the server runs (the database through SQLite's online backup API, the master key and the
// object store), in the archive format of tools/backup_archive.hpp, and its verified restore.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "tools/backup_archive.hpp"

namespace seoagents {

struct BackupOptions {
  // The data directory to copy.
  std::string data_dir;
  // The archive to write; refused when it exists unless `force`.
  std::string out;
  bool force = false;
  // Database pages copied per sqlite3_backup_step (4 MiB at the default 4 KiB page size).
  int pages_per_step = 1024;
  // Called between the database snapshot and the copy of the objects (tests delete an object
  // there, as the article sweep may).
  std::function<void()> after_database_snapshot;
  // Called before each listed object is opened (tests delete it there, as the sweep may).
  std::function<void(const std::string& key)> before_object_copy;
};

struct BackupSummary {
  int schema_version = 0;
  std::uint64_t database_bytes = 0;
  bool master_key = false;
  std::uint64_t objects = 0;
  std::uint64_t object_bytes = 0;
  // Objects listed that the sweep deleted before they were copied.
  std::uint64_t objects_skipped = 0;
};

// Writes the backup of `options.data_dir` to `options.out` (through out.tmp, fsynced, renamed
// into place). Safe while a server uses the directory. The summary, or why it failed (nothing is
// left behind then).
Expected<BackupSummary, std::string> create_backup(const BackupOptions& options);

struct RestoreOptions {
  std::string in;
  // The data directory to restore into: absent, empty, or (with `force`) replaced.
  std::string data_dir;
  bool force = false;
};

struct RestoreSummary {
  backup::Manifest manifest;
  // Where the directory that was replaced went (with --force), or empty.
  std::string moved_aside;
};

// Verifies the whole archive before anything is touched, refuses a data directory a server
// holds (its seoagents.lock) or one that is not empty (unless `force`), extracts into a
// temporary directory beside the target, checks the database there (PRAGMA integrity_check, a
// schema version this binary knows) and only then renames it into place.
Expected<RestoreSummary, std::string> restore_backup(const RestoreOptions& options);

// `seoagents backup …` / `seoagents restore …`; the exit code (0 done, 1 failed, 2 bad usage).
int run_backup_command(const std::vector<std::string>& args);
int run_restore_command(const std::vector<std::string>& args);

// Their usage lines.
const char* backup_usage();

}  // namespace seoagents
