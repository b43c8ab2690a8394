// Writing and reading the backup archive (format in backup_archive.hpp), streaming: no file is
// held in memory whole.
#include "tools/backup_archive.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <set>
#include <stdexcept>

#include "storage/object_store.hpp"

namespace seoagents::backup {
namespace {

std::string to_hex(const unsigned char* bytes, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0x0F];
  }
  return hex;
}

}  // namespace

// An incremental SHA-256.
class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 is not available");
    }
  }
  ~Sha256() { EVP_MD_CTX_free(context_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes) { EVP_DigestUpdate(context_, bytes.data(), bytes.size()); }
  // The hex digest; the hash starts over.
  std::string finish() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned length = 0;
    EVP_DigestFinal_ex(context_, digest.data(), &length);
    EVP_DigestInit_ex(context_, EVP_sha256(), nullptr);
    return to_hex(digest.data(), length);
  }

 private:
  EVP_MD_CTX* context_;
};

namespace {

namespace json = boost::json;

// Bytes moved per read or write.
constexpr std::size_t kChunkBytes = 64 * 1024;
// Longest header line accepted: "F", a size and a path of at most 8 + 1024 bytes.
constexpr std::size_t kMaxHeaderLine = 1100;
// Largest manifest accepted (1 GiB: millions of entries).
constexpr std::uint64_t kMaxManifestBytes = 1ull << 30;

std::string errno_text(std::string_view what) {
  return std::string(what) + ": " + std::strerror(errno);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_hex_digest(std::string_view text) {
  if (text.size() != 64) return false;
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

json::object manifest_json(const Manifest& manifest) {
  json::array files;
  for (const ArchiveEntry& entry : manifest.files) {
    files.push_back(
        json::object{{"path", entry.path}, {"size", entry.size}, {"sha256", entry.sha256}});
  }
  return json::object{{"format", kFormatVersion},
                      {"seoagents_version", manifest.seoagents_version},
                      {"created_at", manifest.created_at},
                      {"schema_version", manifest.schema_version},
                      {"objects_skipped", manifest.objects_skipped},
                      {"files", std::move(files)}};
}

// Reads the file in chunks, hashing every byte consumed.
class ArchiveReader {
 public:
  explicit ArchiveReader(int fd) : fd_(fd) {}

  // The next line without its "\n"; nullopt at the end of the file or past kMaxHeaderLine.
  std::optional<std::string> line() {
    std::string text;
    while (text.size() <= kMaxHeaderLine) {
      auto byte = next_byte();
      if (!byte) return std::nullopt;
      if (*byte == '\n') return text;
      text += *byte;
    }
    return std::nullopt;
  }
  // Passes exactly `size` bytes to `consume`; false when the file ends first.
  bool bytes(std::uint64_t size, const std::function<void(std::string_view)>& consume) {
    while (size > 0) {
      if (begin_ == end_ && !fill()) return false;
      std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(size, end_ - begin_));
      std::string_view chunk(buffer_.data() + begin_, take);
      hash_.update(chunk);
      consume(chunk);
      begin_ += take;
      size -= take;
    }
    return true;
  }
  // True when no byte is left.
  bool at_end() { return begin_ == end_ && !fill(); }
  // The hash of everything consumed so far.
  std::string digest() { return hash_.finish(); }
  const std::string& read_error() const { return error_; }

 private:
  std::optional<char> next_byte() {
    if (begin_ == end_ && !fill()) return std::nullopt;
    char byte = buffer_[begin_++];
    hash_.update(std::string_view(&byte, 1));
    return byte;
  }
  bool fill() {
    while (true) {
      ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) error_ = errno_text("read");
      if (got <= 0) return false;
      begin_ = 0;
      end_ = static_cast<std::size_t>(got);
      return true;
    }
  }

  int fd_;
  std::array<char, kChunkBytes> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  Sha256 hash_;
  std::string error_;
};

// Splits "F <size> <path>" / "M <size>" / "S <hex>".
struct RecordHeader {
  char kind = 0;
  std::string_view first;
  std::string_view second;
};

std::optional<RecordHeader> split_header(std::string_view line) {
  if (line.size() < 3 || line[1] != ' ') return std::nullopt;
  RecordHeader header{line[0], line.substr(2), {}};
  if (auto space = header.first.find(' '); space != std::string_view::npos) {
    header.second = header.first.substr(space + 1);
    header.first = header.first.substr(0, space);
  }
  return header;
}

Expected<Manifest, std::string> parse_manifest(std::string_view text) {
  try {
    json::value value = json::parse(text);
    const json::object& object = value.as_object();
    if (object.at("format").as_int64() != kFormatVersion) {
      return unexpected(std::string("manifest: unknown format version"));
    }
    Manifest manifest;
    manifest.seoagents_version = object.at("seoagents_version").as_string();
    manifest.created_at = object.at("created_at").as_string();
    manifest.schema_version = static_cast<int>(object.at("schema_version").as_int64());
    manifest.objects_skipped = json::value_to<std::uint64_t>(object.at("objects_skipped"));
    for (const json::value& file : object.at("files").as_array()) {
      const json::object& entry = file.as_object();
      manifest.files.push_back({std::string(entry.at("path").as_string()),
                                json::value_to<std::uint64_t>(entry.at("size")),
                                std::string(entry.at("sha256").as_string())});
    }
    return manifest;
  } catch (const std::exception& e) {
    return unexpected("manifest: not the expected JSON (" + std::string(e.what()) + ")");
  }
}

// Checks the manifest against the records read.
std::string compare_manifest(const Manifest& manifest, const std::vector<ArchiveEntry>& records) {
  if (manifest.files.size() != records.size()) {
    return "manifest lists " + std::to_string(manifest.files.size()) +
           " files, the archive holds " + std::to_string(records.size());
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    const ArchiveEntry& listed = manifest.files[i];
    const ArchiveEntry& found = records[i];
    if (listed.path != found.path || listed.size != found.size) {
      return "manifest entry " + std::to_string(i) + " (" + listed.path +
             ") does not match the archive's record (" + found.path + ")";
    }
    if (listed.sha256 != found.sha256) return "checksum mismatch: " + found.path;
  }
  return {};
}

// Reads one "F" record's content into the sink (when given), returning its entry.
Expected<ArchiveEntry, std::string> read_file_record(ArchiveReader& reader,
                                                     const RecordHeader& header, EntrySink* sink) {
  auto size = parse_size(header.first);
  if (!size) return unexpected(std::string("a file record has no valid size"));
  std::string path(header.second);
  if (!is_valid_entry_path(path)) return unexpected("a file record has an invalid path: " + path);
  ArchiveEntry entry{path, *size, {}};
  std::string problem = sink != nullptr ? sink->open_entry(entry) : std::string();
  Sha256 hash;
  bool complete = reader.bytes(*size, [&](std::string_view chunk) {
    hash.update(chunk);
    if (sink != nullptr && problem.empty()) problem = sink->write(chunk);
  });
  if (!complete) return unexpected("the archive ends inside " + path + " (truncated)");
  if (sink != nullptr && problem.empty()) problem = sink->close_entry();
  if (!problem.empty()) return unexpected(problem);
  entry.sha256 = hash.finish();
  return entry;
}

// The records up to the manifest, checked one by one; `manifest_size` gets the size its header
// declares (nullopt when the header is malformed).
Expected<std::vector<ArchiveEntry>, std::string> read_records(
    ArchiveReader& reader, EntrySink* sink, std::optional<std::uint64_t>& manifest_size) {
  std::vector<ArchiveEntry> records;
  std::set<std::string> seen;
  while (true) {
    auto line = reader.line();
    if (!line) return unexpected(std::string("the archive ends before its manifest (truncated)"));
    auto header = split_header(*line);
    if (!header) return unexpected(std::string("a record header is damaged"));
    if (header->kind == 'M') {
      // Read here: the header's views point into `line`, which ends with this iteration.
      if (header->second.empty()) manifest_size = parse_size(header->first);
      return records;
    }
    if (header->kind != 'F') return unexpected(std::string("a record header is damaged"));
    auto entry = read_file_record(reader, *header, sink);
    if (!entry) return unexpected(entry.error());
    if (!seen.insert(entry->path).second) return unexpected("duplicate entry " + entry->path);
    if (records.empty() && entry->path != kDatabaseEntry) {
      return unexpected(std::string("the first entry is not the database"));
    }
    records.push_back(std::move(*entry));
  }
}

Expected<Manifest, std::string> read_all(ArchiveReader& reader, EntrySink* sink) {
  auto magic = reader.line();
  if (!magic || *magic + "\n" != kMagicLine) {
    return unexpected(std::string("not a seoagents backup (no SEOAGENTS-BACKUP 1 header)"));
  }
  std::optional<std::uint64_t> manifest_size;
  auto records = read_records(reader, sink, manifest_size);
  if (!records) return unexpected(records.error());
  if (records->empty()) return unexpected(std::string("the archive holds no database"));
  if (!manifest_size || *manifest_size > kMaxManifestBytes) {
    return unexpected(std::string("the manifest header is damaged"));
  }
  std::string manifest_text;
  if (!reader.bytes(*manifest_size, [&](std::string_view chunk) { manifest_text += chunk; })) {
    return unexpected(std::string("the archive ends inside its manifest (truncated)"));
  }
  std::string expected_digest = reader.digest();
  auto closing = reader.line();
  auto closing_header = closing ? split_header(*closing) : std::nullopt;
  if (!closing_header || closing_header->kind != 'S' || !is_hex_digest(closing_header->first) ||
      !closing_header->second.empty()) {
    return unexpected(std::string("the closing checksum is missing or damaged (truncated?)"));
  }
  if (closing_header->first != expected_digest) {
    return unexpected(std::string("checksum mismatch: the archive was altered or damaged"));
  }
  if (!reader.at_end()) return unexpected(std::string("bytes follow the closing checksum"));
  auto manifest = parse_manifest(manifest_text);
  if (!manifest) return manifest;
  if (std::string problem = compare_manifest(*manifest, *records); !problem.empty()) {
    return unexpected(problem);
  }
  return manifest;
}

}  // namespace

bool is_valid_entry_path(std::string_view path) {
  if (path == kDatabaseEntry || path == kMasterKeyEntry) return true;
  if (!path.starts_with(kObjectsPrefix)) return false;
  return storage::check_object_key(path.substr(kObjectsPrefix.size())).has_value();
}

ArchiveWriter::ArchiveWriter(int fd) : fd_(fd), whole_(std::make_unique<Sha256>()) {}

ArchiveWriter::~ArchiveWriter() = default;

std::string ArchiveWriter::write(std::string_view bytes) {
  whole_->update(bytes);
  while (!bytes.empty()) {
    ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno_text("write the backup");
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

std::string ArchiveWriter::begin() {
  return write(kMagicLine);
}

std::string ArchiveWriter::add_file(const std::string& path, int source_fd, std::uint64_t size) {
  if (!is_valid_entry_path(path)) return "not a valid entry path: " + path;
  std::string header = "F " + std::to_string(size) + " " + path + "\n";
  if (std::string problem = write(header); !problem.empty()) return problem;
  Sha256 hash;
  std::array<char, kChunkBytes> buffer{};
  std::uint64_t left = size;
  while (left > 0) {
    ssize_t got = ::read(source_fd, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno_text("read " + path);
    if (got == 0) return path + ": the file became shorter while it was copied";
    std::string_view chunk(buffer.data(), static_cast<std::size_t>(got));
    hash.update(chunk);
    if (std::string problem = write(chunk); !problem.empty()) return problem;
    left -= static_cast<std::uint64_t>(got);
  }
  entries_.push_back({path, size, hash.finish()});
  return {};
}

std::string ArchiveWriter::finish(Manifest manifest) {
  manifest.files = entries_;
  std::string text = json::serialize(manifest_json(manifest));
  std::string header = "M " + std::to_string(text.size()) + "\n";
  if (std::string problem = write(header); !problem.empty()) return problem;
  if (std::string problem = write(text); !problem.empty()) return problem;
  std::string closing = "S " + whole_->finish() + "\n";
  while (!closing.empty()) {
    ssize_t written = ::write(fd_, closing.data(), closing.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno_text("write the backup");
    closing.erase(0, static_cast<std::size_t>(written));
  }
  return {};
}

Expected<Manifest, std::string> read_archive(const std::string& path, EntrySink* sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unexpected(errno_text(path));
  ArchiveReader reader(fd);
  auto manifest = read_all(reader, sink);
  ::close(fd);
  if (!reader.read_error().empty()) return unexpected(path + ": " + reader.read_error());
  return manifest;
}

}  // namespace seoagents::backup
