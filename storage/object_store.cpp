// The object store's key rules and its filesystem backend: plain POSIX calls, so any number of
// threads may use one store at once; atomicity comes from rename(2) within one directory.
#include "storage/object_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>
#include <utility>

#include "core/random_id.hpp"

namespace seoagents::storage {
namespace {

// Temporary files start with this; no key segment may start with '.', so no key names one.
constexpr std::string_view kTempPrefix = ".tmp-";
// Tries at a fresh temporary name before giving up (a clash of 64 random bits is not expected).
constexpr int kTempNameAttempts = 4;

ObjectError error(ObjectError::Kind kind, std::string message) {
  return {kind, std::move(message)};
}

// "<what> <key>: <reason>", the reason from errno `code`.
ObjectError io_error(std::string_view what, std::string_view key, int code) {
  std::string message(what);
  message.append(" ").append(key).append(": ").append(std::system_category().message(code));
  return error(ObjectError::Kind::io, std::move(message));
}

// A key that the directory tree cannot hold beside the objects already there.
ObjectError conflict(std::string_view key, std::string_view reason) {
  std::string message("object ");
  message.append(key).append(": ").append(reason);
  return error(ObjectError::Kind::conflict, std::move(message));
}

ObjectError not_found(std::string_view key) {
  std::string message("no object ");
  message.append(key);
  return error(ObjectError::Kind::not_found, std::move(message));
}

ObjectError invalid(std::string_view rule) {
  std::string message("invalid object key: ");
  message.append(rule);
  return error(ObjectError::Kind::invalid_key, std::move(message));
}

ObjectError too_large(std::string_view key) {
  std::string message("object too large to read: ");
  message.append(key);
  return error(ObjectError::Kind::too_large, std::move(message));
}

bool is_safe_character(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!-_.*'()").find(c) != std::string_view::npos;
}

// Checks one complete segment (the text between two slashes).
Expected<Done, ObjectError> check_segment(std::string_view segment) {
  if (segment.empty()) {
    return unexpected(invalid("empty segment (leading, trailing or double '/')"));
  }
  if (segment.size() > kMaxObjectKeySegmentBytes) {
    return unexpected(invalid("a segment is longer than 255 bytes"));
  }
  if (segment.front() == '.') return unexpected(invalid("a segment starts with '.'"));
  return Done{};
}

// Checks the characters of `text` and each complete segment of it; the text after the last '/'
// is checked as a segment only when `last_is_complete`.
Expected<Done, ObjectError> check_segments(std::string_view text, bool last_is_complete) {
  for (char c : text) {
    if (c != '/' && !is_safe_character(c)) {
      return unexpected(invalid("a byte outside A-Z a-z 0-9 ! - _ . * ' ( ) /"));
    }
  }
  std::size_t start = 0;
  for (std::size_t slash = text.find('/'); slash != std::string_view::npos;
       slash = text.find('/', start)) {
    auto checked = check_segment(text.substr(start, slash - start));
    if (!checked) return checked;
    start = slash + 1;
  }
  if (!last_is_complete) return Done{};
  return check_segment(text.substr(start));
}

// A list prefix: like a key whose last segment may be partial or empty ("a/b/", "a/b/ar", "").
Expected<Done, ObjectError> check_prefix(std::string_view prefix) {
  if (prefix.size() > kMaxObjectKeyBytes) return unexpected(invalid("longer than 1024 bytes"));
  return check_segments(prefix, false);
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now; the errno of a failed close, or 0.
  int close() {
    int result = ::close(std::exchange(fd_, -1));
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

std::string parent_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// fsync of a directory: makes the entries created, renamed or removed in it durable.
int sync_directory(const std::string& path) {
  FileDescriptor directory(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return errno;
  if (::fsync(directory.get()) != 0) return errno;
  return 0;
}

// Creates `path` (mode 0700) unless it is a directory already; 0 or an errno (ENOTDIR when a
// file is in the way). A new directory's entry is made durable in its parent.
int make_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return sync_directory(parent_of(path));
  int code = errno;
  if (code != EEXIST) return code;
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return errno;
  return S_ISDIR(status.st_mode) ? 0 : ENOTDIR;
}

// Creates the root and every directory on the way to `key`'s file.
Expected<Done, ObjectError> make_parents(const std::string& root, std::string_view key) {
  int code = make_directory(root);
  if (code != 0) return unexpected(io_error("create the object root for", key, code));
  std::string path = root;
  std::size_t start = 0;
  for (std::size_t slash = key.find('/'); slash != std::string_view::npos;
       slash = key.find('/', start)) {
    path.append("/").append(key.substr(start, slash - start));
    code = make_directory(path);
    if (code == ENOTDIR) return unexpected(conflict(key, "a prefix of the key is an object"));
    if (code != 0) return unexpected(io_error("create a directory for", key, code));
    start = slash + 1;
  }
  return Done{};
}

// A temporary file beside a target, removed when it goes out of scope unless renamed.
class TempFile {
 public:
  TempFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  FileDescriptor& fd() { return fd_; }
  // Renames the (closed) file to `target`; 0 or an errno. On success it is no longer removed.
  int rename_to(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) return errno;
    path_.clear();
    return 0;
  }

 private:
  std::string path_;
  FileDescriptor fd_;
};

// Opens a new temporary file in `directory`; nullptr with `code` set when that fails.
std::unique_ptr<TempFile> open_temp_file(const std::string& directory, int& code) {
  for (int attempt = 0; attempt < kTempNameAttempts; ++attempt) {
    std::string path = directory + "/";
    path.append(kTempPrefix).append(secure_random_hex(8));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) return std::make_unique<TempFile>(std::move(path), fd);
    code = errno;
    if (code != EEXIST) return nullptr;
  }
  return nullptr;
}

// Writes every byte; 0 or an errno.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// Reads to the end of the file, failing with too_large past `max_bytes`.
Expected<std::string, ObjectError> read_all(int fd, std::string_view key, std::size_t size_hint,
                                            std::size_t max_bytes) {
  std::string bytes;
  bytes.resize(std::min(size_hint, max_bytes) + 1);
  std::size_t used = 0;
  while (true) {
    if (used == bytes.size()) {
      if (used > max_bytes) break;
      bytes.resize(std::min(bytes.size() * 2, max_bytes + 1));
    }
    ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return unexpected(io_error("read", key, errno));
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  if (used > max_bytes) return unexpected(too_large(key));
  bytes.resize(used);
  return bytes;
}

// A new temporary file in `directory` for `key`, creating the directories on the way.
Expected<std::unique_ptr<TempFile>, ObjectError> create_temp_file(const std::string& root,
                                                                  std::string_view key,
                                                                  const std::string& directory) {
  int code = 0;
  auto temp = open_temp_file(directory, code);
  // A missing directory, or a file where one should be: make_parents() says which.
  if (!temp && (code == ENOENT || code == ENOTDIR)) {
    auto made = make_parents(root, key);
    if (!made) return unexpected(made.error());
    temp = open_temp_file(directory, code);
  }
  if (temp) return temp;
  if (code == ENOTDIR) return unexpected(conflict(key, "a prefix of the key is an object"));
  return unexpected(io_error("create a temporary file for", key, code));
}

// Writes `bytes` to the temporary file, makes them durable and closes it.
Expected<Done, ObjectError> write_and_close(TempFile& temp, std::string_view key,
                                            std::string_view bytes) {
  int code = write_all(temp.fd().get(), bytes);
  if (code != 0) return unexpected(io_error("write", key, code));
  if (::fsync(temp.fd().get()) != 0) return unexpected(io_error("fsync", key, errno));
  code = temp.fd().close();
  if (code != 0) return unexpected(io_error("close", key, code));
  return Done{};
}

std::int64_t milliseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1000 + time.tv_nsec / 1'000'000;
}

// One name in a directory that list() may show: a file (a key) or a directory (a key prefix).
struct ListEntry {
  // The key, or the directory's key prefix ending in '/': the entries sort in key order.
  std::string key;
  bool directory;
};

// The entries of the directory whose keys start with `directory_key` ("" or ending in '/'), in
// key order; temporary files, other dot names and anything else not a key are left out.
Expected<std::vector<ListEntry>, ObjectError> list_directory(const std::string& path,
                                                             const std::string& directory_key) {
  std::vector<ListEntry> entries;
  DIR* directory = ::opendir(path.c_str());
  if (directory == nullptr) {
    int code = errno;
    if (code == ENOENT || code == ENOTDIR) return entries;
    return unexpected(io_error("list", directory_key, code));
  }
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(directory);
    if (entry == nullptr) break;
    std::string_view name(entry->d_name);
    if (!check_segments(name, true)) continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      struct stat status {};
      if (::fstatat(::dirfd(directory), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(status.st_mode) ? DT_DIR : S_ISREG(status.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type != DT_DIR && type != DT_REG) continue;
    std::string key = directory_key + std::string(name);
    if (type == DT_DIR) key += '/';
    entries.push_back({std::move(key), type == DT_DIR});
  }
  int code = errno;
  ::closedir(directory);
  if (code != 0) return unexpected(io_error("list", directory_key, code));
  std::sort(entries.begin(), entries.end(),
            [](const ListEntry& a, const ListEntry& b) { return a.key < b.key; });
  return entries;
}

// One list() call's question and its answer so far.
struct ListWalk {
  std::string_view prefix;
  std::string_view start_after;
  // limit + 1: one more than asked tells whether the listing is truncated.
  std::size_t wanted;
  std::vector<std::string> keys;
};

// Whether some key under the directory prefix `directory_key` can be in the listing.
bool may_hold_matches(std::string_view directory_key, const ListWalk& walk) {
  bool prefix_overlaps =
      directory_key.starts_with(walk.prefix) || walk.prefix.starts_with(directory_key);
  if (!prefix_overlaps) return false;
  // Every key under it sorts before start_after when the directory prefix itself does and
  // start_after does not continue it.
  return !(directory_key < walk.start_after && !walk.start_after.starts_with(directory_key));
}

// Visits the directory of `directory_key` in key order, adding matching keys to the walk.
Expected<Done, ObjectError> walk_directory(const std::string& root,
                                           const std::string& directory_key, ListWalk& walk) {
  auto entries = list_directory(root + "/" + directory_key, directory_key);
  if (!entries) return unexpected(entries.error());
  for (ListEntry& entry : *entries) {
    if (walk.keys.size() >= walk.wanted) break;
    if (entry.directory) {
      if (!may_hold_matches(entry.key, walk)) continue;
      auto walked = walk_directory(root, entry.key, walk);
      if (!walked) return walked;
      continue;
    }
    if (!entry.key.starts_with(walk.prefix) || entry.key <= walk.start_after) continue;
    walk.keys.push_back(std::move(entry.key));
  }
  return Done{};
}

}  // namespace

Expected<Done, ObjectError> check_object_key(std::string_view key) {
  if (key.empty()) return unexpected(invalid("empty"));
  if (key.size() > kMaxObjectKeyBytes) return unexpected(invalid("longer than 1024 bytes"));
  return check_segments(key, true);
}

std::string_view content_type_for_key(std::string_view key) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".md", "text/markdown; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".json", "application/json"},
      {".csv", "text/csv; charset=utf-8"},   {".xml", "application/xml"},
  };
  for (const Type& type : kTypes) {
    if (key.ends_with(type.extension)) return type.content_type;
  }
  return "application/octet-stream";
}

FilesystemObjectStore::FilesystemObjectStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/')
    root_.pop_back();
}

std::string FilesystemObjectStore::path_of(std::string_view key) const {
  std::string path = root_;
  path.append("/").append(key);
  return path;
}

Expected<Done, ObjectError> FilesystemObjectStore::put(std::string_view key,
                                                       std::string_view bytes) {
  auto checked = check_object_key(key);
  if (!checked) return checked;
  std::string target = path_of(key);
  auto temp = create_temp_file(root_, key, parent_of(target));
  if (!temp) return unexpected(temp.error());
  auto written = write_and_close(**temp, key, bytes);
  if (!written) return written;
  int code = (*temp)->rename_to(target);
  if (code == EISDIR || code == ENOTEMPTY || code == EEXIST) {
    return unexpected(conflict(key, "the key is a prefix of other objects"));
  }
  if (code != 0) return unexpected(io_error("rename", key, code));
  code = sync_directory(parent_of(target));
  if (code != 0) return unexpected(io_error("fsync the directory of", key, code));
  return Done{};
}

Expected<std::string, ObjectError> FilesystemObjectStore::get(std::string_view key,
                                                              std::size_t max_bytes) {
  auto checked = check_object_key(key);
  if (!checked) return unexpected(checked.error());
  FileDescriptor file(::open(path_of(key).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return unexpected(not_found(key));
    return unexpected(io_error("open", key, errno));
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return unexpected(io_error("stat", key, errno));
  if (!S_ISREG(status.st_mode)) return unexpected(not_found(key));
  return read_all(file.get(), key, static_cast<std::size_t>(status.st_size), max_bytes);
}

Expected<ObjectInfo, ObjectError> FilesystemObjectStore::head(std::string_view key) {
  auto checked = check_object_key(key);
  if (!checked) return unexpected(checked.error());
  struct stat status {};
  if (::lstat(path_of(key).c_str(), &status) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return unexpected(not_found(key));
    return unexpected(io_error("stat", key, errno));
  }
  if (!S_ISREG(status.st_mode)) return unexpected(not_found(key));
  return ObjectInfo{static_cast<std::uint64_t>(status.st_size), milliseconds(status.st_mtim)};
}

Expected<Done, ObjectError> FilesystemObjectStore::remove(std::string_view key) {
  auto checked = check_object_key(key);
  if (!checked) return checked;
  std::string path = path_of(key);
  if (::unlink(path.c_str()) != 0) {
    // Nothing there, or a directory of other keys: no object has this key.
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return Done{};
    return unexpected(io_error("remove", key, errno));
  }
  int code = sync_directory(parent_of(path));
  if (code != 0) return unexpected(io_error("fsync the directory of", key, code));
  return Done{};
}

Expected<ObjectListing, ObjectError> FilesystemObjectStore::list(std::string_view prefix,
                                                                 std::size_t limit,
                                                                 std::string_view start_after) {
  auto checked = check_prefix(prefix);
  if (!checked) return unexpected(checked.error());
  limit = std::min(limit, kMaxObjectListLimit);
  ListWalk walk{prefix, start_after, limit + 1, {}};
  // Every match lies under the prefix's complete segments ("" when it has none): start there.
  std::size_t slash = prefix.rfind('/');
  std::string start(slash == std::string_view::npos ? "" : prefix.substr(0, slash + 1));
  auto walked = walk_directory(root_, start, walk);
  if (!walked) return unexpected(walked.error());
  ObjectListing listing;
  listing.truncated = walk.keys.size() > limit;
  if (listing.truncated) walk.keys.pop_back();
  listing.keys = std::move(walk.keys);
  return listing;
}

}  // namespace seoagents::storage
