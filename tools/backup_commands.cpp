// backup / restore (see backup_commands.hpp): the database snapshot, the object copy, the
// verified extraction and the swap into place.
#include "tools/backup_commands.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/random_id.hpp"
#include "storage/migrations.hpp"
#include "storage/object_store.hpp"
#include "storage/sqlite.hpp"
#include "tools/app.hpp"
#include "tools/command_arguments.hpp"

namespace seoagents {
namespace {

namespace fs = std::filesystem;

// The lock file `serve` holds in its data directory (App::lock_data_directory).
constexpr std::string_view kLockFile = "seoagents.lock";

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Closes a descriptor when it goes out of scope.
struct Descriptor {
  int fd = -1;
  explicit Descriptor(int value) : fd(value) {}
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
};

// Removes a file or directory tree when it goes out of scope, unless released.
struct Cleanup {
  std::string path;
  ~Cleanup() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

std::string sync_directory(const std::string& path) {
  Descriptor directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.fd < 0 || ::fsync(directory.fd) != 0) return errno_text("fsync " + path);
  return {};
}

std::string parent_directory(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// ---- the database snapshot -------------------------------------------------------------------

struct SqliteHandle {
  sqlite3* db = nullptr;
  ~SqliteHandle() { sqlite3_close(db); }
};

std::string sqlite_problem(sqlite3* db, const std::string& what) {
  return what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
}

// Copies every page of the snapshot the source connection reads into `destination`, a step at a
// time; SQLITE_BUSY/LOCKED (the destination is new, so only a momentary lock) are retried.
std::string copy_pages(sqlite3* source, sqlite3* destination, int pages_per_step) {
  sqlite3_backup* backup = sqlite3_backup_init(destination, "main", source, "main");
  if (backup == nullptr) return sqlite_problem(destination, "start the database backup");
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(backup, pages_per_step);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return std::string("copy the database: ") + sqlite3_errstr(rc);
  return {};
}

int read_user_version(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    version = sqlite3_column_int(statement, 0);
  }
  sqlite3_finalize(statement);
  return version;
}

// The database at `source`, copied into the new file `target` as one consistent snapshot; its
// schema version. A read transaction is held on the source for the whole copy: in WAL mode it
// pins one snapshot (so the copy never restarts, however busy the writer is) and blocks no
// writer; only the checkpointer stops at the snapshot until the copy ends.
Expected<int, std::string> snapshot_database(const std::string& source, const std::string& target,
                                             int pages_per_step) {
  SqliteHandle from, to;
  // Read-write without CREATE: a read-only connection cannot open a WAL database whose -shm file
  // is missing (no server running); nothing is written through it.
  if (sqlite3_open_v2(source.c_str(), &from.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    return unexpected(sqlite_problem(from.db, "open the database " + source));
  }
  sqlite3_busy_timeout(from.db, 10'000);
  const char* begin = "BEGIN; SELECT count(*) FROM sqlite_schema;";
  if (sqlite3_exec(from.db, begin, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return unexpected(sqlite_problem(from.db, "read the database " + source));
  }
  int schema_version = read_user_version(from.db);
  ::unlink(target.c_str());
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(target.c_str(), &to.db, flags, nullptr) != SQLITE_OK) {
    return unexpected(sqlite_problem(to.db, "create " + target));
  }
  if (std::string problem = copy_pages(from.db, to.db, pages_per_step); !problem.empty()) {
    return unexpected(problem);
  }
  sqlite3_exec(from.db, "COMMIT", nullptr, nullptr, nullptr);
  if (sqlite3_close(to.db) != SQLITE_OK)
    return unexpected(sqlite_problem(to.db, "close " + target));
  to.db = nullptr;
  return schema_version;
}

// ---- the archive ------------------------------------------------------------------------------

// Adds the file at `path` as `entry`; false (nothing written) when it does not exist.
Expected<bool, std::string> add_file(backup::ArchiveWriter& writer, const std::string& path,
                                     const std::string& entry, std::uint64_t& size) {
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.fd < 0 && errno == ENOENT) return false;
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) return unexpected(errno_text(path));
  if (!S_ISREG(status.st_mode)) return unexpected(path + ": not a regular file");
  size = static_cast<std::uint64_t>(status.st_size);
  // The size is read once the file is open: objects are replaced by rename, never rewritten in
  // place, so the open file keeps it whatever happens to the key meanwhile.
  if (std::string problem = writer.add_file(entry, file.fd, size); !problem.empty()) {
    return unexpected(problem);
  }
  return true;
}

// Copies every object under <data>/objects, a listing page at a time.
std::string add_objects(backup::ArchiveWriter& writer, const BackupOptions& options,
                        BackupSummary& summary) {
  storage::FilesystemObjectStore objects(objects_path(options.data_dir));
  std::string after;
  while (true) {
    auto page = objects.list("", storage::kMaxObjectListLimit, after);
    if (!page) return "list the objects: " + page.error().message;
    for (const std::string& key : page->keys) {
      if (options.before_object_copy) options.before_object_copy(key);
      std::uint64_t size = 0;
      auto added = add_file(writer, objects.root() + "/" + key,
                            std::string(backup::kObjectsPrefix) + key, size);
      if (!added) return added.error();
      if (*added) {
        ++summary.objects;
        summary.object_bytes += size;
      } else {
        // Deleted by the article sweep after it was listed: see create_backup.
        ++summary.objects_skipped;
      }
    }
    if (!page->truncated || page->keys.empty()) return {};
    after = page->keys.back();
  }
}

std::string write_archive(int fd, const BackupOptions& options, const std::string& snapshot,
                          BackupSummary& summary) {
  backup::ArchiveWriter writer(fd);
  if (std::string problem = writer.begin(); !problem.empty()) return problem;
  auto database =
      add_file(writer, snapshot, std::string(backup::kDatabaseEntry), summary.database_bytes);
  if (!database) return database.error();
  std::uint64_t key_size = 0;
  auto key = add_file(writer, options.data_dir + "/master.key",
                      std::string(backup::kMasterKeyEntry), key_size);
  if (!key) return key.error();
  summary.master_key = *key;
  if (std::string problem = add_objects(writer, options, summary); !problem.empty()) {
    return problem;
  }
  backup::Manifest manifest;
  manifest.seoagents_version = SEOAGENTS_VERSION;
  manifest.created_at = format_rfc3339_ms(std::chrono::system_clock::now());
  manifest.schema_version = summary.schema_version;
  manifest.objects_skipped = summary.objects_skipped;
  if (std::string problem = writer.finish(std::move(manifest)); !problem.empty()) return problem;
  if (::fsync(fd) != 0) return errno_text("fsync the backup");
  return {};
}

bool is_inside(const std::string& path, const std::string& directory) {
  std::error_code ec;
  fs::path inner = fs::weakly_canonical(fs::absolute(path), ec);
  fs::path outer = fs::weakly_canonical(fs::absolute(directory), ec);
  auto [end, rest] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return end == outer.end();
}

// Moves the finished temporary file to `out`: over it with --force, else only if `out` still
// does not exist (link(2) fails on an existing name: a concurrent writer is never overwritten).
std::string publish(const std::string& temp, const BackupOptions& options) {
  if (options.force) {
    if (::rename(temp.c_str(), options.out.c_str()) != 0)
      return errno_text("rename to " + options.out);
  } else {
    if (::link(temp.c_str(), options.out.c_str()) != 0) {
      return errno == EEXIST ? options.out + " exists (use --force to replace it)"
                             : errno_text("create " + options.out);
    }
    ::unlink(temp.c_str());
  }
  return sync_directory(parent_directory(options.out));
}

// ---- restore ----------------------------------------------------------------------------------

// The sink that writes each entry under `root` (files 0600, directories 0700).
class DirectoryWriter {
 public:
  explicit DirectoryWriter(std::string root) : root_(std::move(root)) {}
  ~DirectoryWriter() {
    if (fd_ >= 0) ::close(fd_);
  }

  backup::EntrySink sink() {
    return {[this](const backup::ArchiveEntry& entry) { return open(entry); },
            [this](std::string_view bytes) { return write(bytes); }, [this] { return close(); }};
  }
  // fsyncs every directory that received a file.
  std::string sync() {
    for (const std::string& directory : directories_) {
      if (std::string problem = sync_directory(directory); !problem.empty()) return problem;
    }
    return {};
  }

 private:
  std::string open(const backup::ArchiveEntry& entry) {
    path_ = root_ + "/" + entry.path;
    std::string directory = parent_directory(path_);
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) return "create " + directory + ": " + ec.message();
    directories_.insert(directory);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) return errno_text("create " + path_);
    return {};
  }
  std::string write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t written = ::write(fd_, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) return errno_text("write " + path_);
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
  }
  std::string close() {
    bool synced = ::fsync(fd_) == 0;
    bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (!synced || !closed) return errno_text("write " + path_);
    return {};
  }

  std::string root_;
  std::string path_;
  int fd_ = -1;
  std::set<std::string> directories_;
};

// The data directory as an absolute path without a trailing '/'.
std::string normalized_directory(const std::string& path) {
  std::string normal = fs::absolute(path).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/')
    normal.pop_back();
  return normal;
}

// Holds the lock file of an existing data directory for the duration of the restore; refuses
// when a server holds it.
struct DirectoryLock {
  int fd = -1;
  ~DirectoryLock() {
    if (fd >= 0) ::close(fd);
  }
};

std::string take_directory_lock(const std::string& data_dir, DirectoryLock& lock) {
  std::string path = data_dir + "/" + std::string(kLockFile);
  lock.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (lock.fd < 0) return errno == ENOENT ? std::string() : errno_text("open " + path);
  if (::flock(lock.fd, LOCK_EX | LOCK_NB) == 0) return {};
  if (errno == EWOULDBLOCK) {
    return "a seoagents server is running on " + data_dir + " (" + path +
           " is locked): stop it before restoring";
  }
  return errno_text("lock " + path);
}

// Refuses a target that is not a directory, one a server holds, or a non-empty one without
// --force. Sets `empty` for an existing directory.
std::string check_target(const std::string& data_dir, bool force, DirectoryLock& lock, bool& exists,
                         bool& empty) {
  std::error_code ec;
  exists = fs::exists(data_dir, ec);
  if (!exists) return {};
  if (!fs::is_directory(data_dir, ec)) return data_dir + " exists and is not a directory";
  if (std::string problem = take_directory_lock(data_dir, lock); !problem.empty()) return problem;
  empty = fs::is_empty(data_dir, ec);
  if (ec) return "read " + data_dir + ": " + ec.message();
  if (!empty && !force) {
    return data_dir + " is not empty (use --force to replace it; the old one is kept beside it)";
  }
  return {};
}

// PRAGMA integrity_check and the schema version of the extracted database.
std::string check_database(const std::string& path) {
  try {
    storage::Connection db(path, storage::Connection::Mode::read_write);
    static constexpr std::string_view kIntegrity = "PRAGMA integrity_check";
    storage::Query check = db.query(kIntegrity);
    std::string verdict;
    while (check->step()) {
      if (!verdict.empty()) verdict += "; ";
      verdict += check->text(0);
    }
    if (verdict != "ok") return "the restored database fails PRAGMA integrity_check: " + verdict;
    int version = storage::schema_version(db);
    if (version > storage::latest_schema_version()) {
      return "the backup's database has schema version " + std::to_string(version) +
             "; this seoagents knows up to " + std::to_string(storage::latest_schema_version()) +
             ": restore it with a newer seoagents";
    }
    return {};
  } catch (const std::exception& e) {
    return std::string("the restored database cannot be read: ") + e.what();
  }
}

std::string compact_utc_time() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// Extracts and checks the archive in `temp`.
std::string extract_into(const RestoreOptions& options, const std::string& temp) {
  std::error_code ec;
  fs::create_directories(parent_directory(temp), ec);
  if (ec) return "create " + parent_directory(temp) + ": " + ec.message();
  if (::mkdir(temp.c_str(), 0700) != 0) return errno_text("create " + temp);
  DirectoryWriter files(temp);
  backup::EntrySink sink = files.sink();
  auto extracted = backup::read_archive(options.in, &sink);
  if (!extracted) return "the backup changed while it was restored: " + extracted.error();
  if (std::string problem = files.sync(); !problem.empty()) return problem;
  return check_database(temp + "/" + std::string(backup::kDatabaseEntry));
}

// Puts `temp` in place of `data_dir`; an existing non-empty one moves aside to `moved_aside`.
std::string swap_into_place(const std::string& temp, const std::string& data_dir, bool exists,
                            bool empty, std::string& moved_aside) {
  if (exists && !empty) {
    moved_aside = data_dir + ".before-restore-" + compact_utc_time();
    if (::rename(data_dir.c_str(), moved_aside.c_str()) != 0) {
      return errno_text("move " + data_dir + " aside");
    }
  }
  // rename(2) replaces an empty directory.
  if (::rename(temp.c_str(), data_dir.c_str()) != 0) return errno_text("rename to " + data_dir);
  return sync_directory(parent_directory(data_dir));
}

// ---- the commands -----------------------------------------------------------------------------

int usage_error(const std::string& message) {
  std::cerr << "seoagents: " << message << "\n\n" << backup_usage();
  return 2;
}

// Takes --force (a flag without a value) out of the arguments.
bool take_flag(std::vector<std::string>& args, const std::string& flag) {
  auto found = std::find(args.begin(), args.end(), flag);
  if (found == args.end()) return false;
  args.erase(found);
  return true;
}

// The data directory named by --data or --config (or SEOAGENTS_DATA, or ./data), as serve
// would use it.
Expected<std::string, std::string> data_directory(const CommandArguments& args) {
  std::vector<std::string> config_args;
  for (const char* name : {"config", "data"}) {
    if (auto value = option(args, name)) {
      config_args.push_back("--" + std::string(name));
      config_args.push_back(*value);
    }
  }
  ConfigResult loaded = load_config(config_args, process_environment());
  if (!loaded.error.empty()) return unexpected(loaded.error);
  return loaded.config.data_dir;
}

// Unknown options are refused (a typo must not back up the wrong directory).
std::string unknown_option(const CommandArguments& args, std::initializer_list<const char*> known) {
  for (const auto& [name, value] : args.options) {
    if (std::find(known.begin(), known.end(), name) == known.end()) return "--" + name;
  }
  return {};
}

}  // namespace

// Order: the database snapshot first, then the objects. Objects are written (and fsynced)
// before the rows that name them commit, so every object a row of the snapshot names exists
// when the snapshot is taken and is still there when the objects are copied afterwards, unless
// the article sweep deleted it in between: that happens only to articles already past their
// expires_at, which the restored server's next sweep expires anyway, so the object is skipped
// (counted in the manifest) rather than failing the backup. Objects written after the snapshot
// are copied too: new ones are unreferenced, and a body that enhance/optimize replaced (it puts
// the new body before its row commits) is copied in its newer form; both are the state of a crash
// between an object's write and its row's commit, which the server already recovers from (that
// job is not completed in the snapshot, so it runs again). The reverse order (objects first)
// would lose the objects of rows that commit between the two steps.
Expected<BackupSummary, std::string> create_backup(const BackupOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.data_dir, ec)) {
    return unexpected("--data " + options.data_dir + ": not a directory");
  }
  std::string database = database_path(options.data_dir);
  if (!fs::exists(database, ec)) return unexpected("no database at " + database);
  if (is_inside(options.out, options.data_dir)) {
    return unexpected("--out must be outside the data directory " + options.data_dir);
  }
  if (!options.force && fs::exists(options.out, ec)) {
    return unexpected(options.out + " exists (use --force to replace it)");
  }
  Cleanup snapshot{options.out + ".tmp-db"};
  Cleanup temp{options.out + ".tmp"};
  BackupSummary summary;
  auto version = snapshot_database(database, snapshot.path, options.pages_per_step);
  if (!version) return unexpected(version.error());
  summary.schema_version = *version;
  if (options.after_database_snapshot) options.after_database_snapshot();
  Descriptor out(::open(temp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.fd < 0) return unexpected(errno_text("create " + temp.path));
  if (std::string problem = write_archive(out.fd, options, snapshot.path, summary);
      !problem.empty()) {
    return unexpected(problem);
  }
  if (::close(std::exchange(out.fd, -1)) != 0) return unexpected(errno_text("close the backup"));
  if (std::string problem = publish(temp.path, options); !problem.empty()) {
    return unexpected(problem);
  }
  temp.path.clear();
  return summary;
}

Expected<RestoreSummary, std::string> restore_backup(const RestoreOptions& options) {
  auto manifest = backup::read_archive(options.in);
  if (!manifest) return unexpected("the backup " + options.in + " is refused: " + manifest.error());
  if (manifest->schema_version > storage::latest_schema_version()) {
    return unexpected("the backup's database has schema version " +
                      std::to_string(manifest->schema_version) + "; this seoagents knows up to " +
                      std::to_string(storage::latest_schema_version()) +
                      ": restore it with a newer seoagents");
  }
  std::string data_dir = normalized_directory(options.data_dir);
  DirectoryLock lock;
  bool exists = false;
  bool empty = false;
  if (std::string problem = check_target(data_dir, options.force, lock, exists, empty);
      !problem.empty()) {
    return unexpected(problem);
  }
  Cleanup temp{parent_directory(data_dir) + "/." + fs::path(data_dir).filename().string() +
               ".restore-" + secure_random_hex(4)};
  if (std::string problem = extract_into(options, temp.path); !problem.empty()) {
    return unexpected(problem);
  }
  RestoreSummary summary{std::move(*manifest), {}};
  if (std::string problem =
          swap_into_place(temp.path, data_dir, exists, empty, summary.moved_aside);
      !problem.empty()) {
    return unexpected(problem);
  }
  temp.path.clear();
  return summary;
}

const char* backup_usage() {
  return "  seoagents backup --out FILE [--data DIR | --config FILE] [--force]\n"
         "                                a consistent backup while the server runs: database,\n"
         "                                master.key and article store in one checked file\n"
         "  seoagents restore --in FILE --data DIR [--force]\n"
         "                                verifies the backup, then restores it into DIR (absent\n"
         "                                or empty; --force moves a non-empty DIR aside)\n";
}

int run_backup_command(const std::vector<std::string>& raw_args) {
  std::vector<std::string> rest = raw_args;
  BackupOptions options;
  options.force = take_flag(rest, "--force");
  CommandArguments args = parse_command_arguments(rest);
  if (!args.error.empty()) return usage_error(args.error);
  if (!args.words.empty()) return usage_error("unexpected argument: " + args.words.front());
  if (auto bad = unknown_option(args, {"out", "data", "config"}); !bad.empty()) {
    return usage_error("unknown option " + bad + " for backup");
  }
  auto out = option(args, "out");
  if (!out || out->empty()) return usage_error("backup needs --out FILE");
  options.out = *out;
  auto data = data_directory(args);
  if (!data) return usage_error(data.error());
  options.data_dir = *data;
  auto done = create_backup(options);
  if (!done) {
    std::cerr << "seoagents: backup failed: " << done.error() << "\n";
    return 1;
  }
  std::cout << "backup " << options.out << ": database " << done->database_bytes
            << " bytes (schema version " << done->schema_version << "), " << done->objects
            << " objects (" << done->object_bytes << " bytes)"
            << (done->master_key ? ", master.key" : "") << "\n";
  if (done->objects_skipped > 0) {
    std::cout << done->objects_skipped
              << " objects were deleted by the article sweep while the backup ran (expired "
                 "articles) and are not in it\n";
  }
  if (!done->master_key) {
    std::cerr << "note: " << options.data_dir
              << "/master.key does not exist (SEOAGENTS_MASTER_KEY?): keep that key with the "
                 "backup, or the stored site passwords and webhook secrets cannot be read\n";
  }
  return 0;
}

int run_restore_command(const std::vector<std::string>& raw_args) {
  std::vector<std::string> rest = raw_args;
  RestoreOptions options;
  options.force = take_flag(rest, "--force");
  CommandArguments args = parse_command_arguments(rest);
  if (!args.error.empty()) return usage_error(args.error);
  if (!args.words.empty()) return usage_error("unexpected argument: " + args.words.front());
  if (auto bad = unknown_option(args, {"in", "data"}); !bad.empty()) {
    return usage_error("unknown option " + bad + " for restore");
  }
  auto in = option(args, "in");
  auto data = option(args, "data");
  if (!in || in->empty() || !data || data->empty()) {
    return usage_error("restore needs --in FILE and --data DIR");
  }
  options.in = *in;
  options.data_dir = *data;
  auto done = restore_backup(options);
  if (!done) {
    std::cerr << "seoagents: restore refused: " << done.error() << "\n";
    return 1;
  }
  const backup::Manifest& manifest = done->manifest;
  std::cout << "restored " << options.in << " (taken " << manifest.created_at << " by seoagents "
            << manifest.seoagents_version << ", schema version " << manifest.schema_version << ", "
            << manifest.files.size() << " files) into " << options.data_dir << "\n";
  if (!done->moved_aside.empty()) {
    std::cout << "the previous data directory is now " << done->moved_aside
              << " (delete it once the restored server works)\n";
  }
  bool has_key = std::any_of(manifest.files.begin(), manifest.files.end(), [](const auto& entry) {
    return entry.path == backup::kMasterKeyEntry;
  });
  if (!has_key) {
    std::cerr << "note: the backup holds no master.key: start the server with the "
                 "SEOAGENTS_MASTER_KEY it used, or stored secrets cannot be read\n";
  }
  if (manifest.schema_version < storage::latest_schema_version()) {
    std::cout << "the server brings the schema from version " << manifest.schema_version << " to "
              << storage::latest_schema_version() << " at its next start\n";
  }
  return 0;
}

}  // namespace seoagents
