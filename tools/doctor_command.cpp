// The checks of `seoagents doctor` (see doctor_command.hpp), each a small function adding one or
// more lines to the report. Nothing here writes: the database is opened read-only, the master
// key is read only when it exists, and the lock file is only looked at.
#include "tools/doctor_command.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "core/config.hpp"
#include "core/master_key.hpp"
#include "core/outbound_client.hpp"
#include "core/secret_box.hpp"
#include "jobs/wordpress/rest.hpp"
#include "jobs/writers/model_http.hpp"
#include "storage/migrations.hpp"
#include "storage/sites.hpp"
#include "storage/sqlite.hpp"
#include "tools/app.hpp"

namespace seoagents {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;

// Free space below which the disk check warns, and fails.
constexpr std::uint64_t kWarnFreeBytes = 1ull << 30;
constexpr std::uint64_t kFailFreeBytes = 100ull << 20;
// WordPress sites checked at most (the oldest first).
constexpr std::int64_t kMaxSitesChecked = 20;
// Bounds on each connectivity request.
constexpr std::chrono::seconds kConnectTimeout{5};
constexpr std::chrono::seconds kResponseTimeout{10};

enum class Verdict { ok, warn, fail };

// The lines printed so far, and whether one failed.
class Report {
 public:
  void add(Verdict verdict, std::string_view check, const std::string& detail,
           const std::string& fix = {}) {
    static constexpr std::string_view kLabels[] = {"ok  ", "warn", "FAIL"};
    std::cout << kLabels[static_cast<int>(verdict)] << "  " << check << ": " << detail;
    if (!fix.empty()) std::cout << " -> " << fix;
    std::cout << std::endl;
    if (verdict == Verdict::fail) failed_ = true;
  }
  bool failed() const { return failed_; }

 private:
  bool failed_ = false;
};

// What the checks share.
struct Doctor {
  Config config;
  EnvLookup env;
  Report report;
  // The database, when it opened.
  std::unique_ptr<storage::Connection> db;
  // The master key, when it loaded.
  std::optional<std::string> master_key;
  // A server holds the data directory's lock.
  bool server_running = false;
};

// True when a server holds the data directory's lock file. The lock is tried for an instant and
// let go at once.
bool server_holds_directory(const std::string& data_dir) {
  std::string path = data_dir + "/seoagents.lock";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

// ---- the data directory ---------------------------------------------------------------------

bool check_data_directory(Doctor& doctor) {
  const std::string& dir = doctor.config.data_dir;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    doctor.report.add(Verdict::fail, "data directory", dir + " does not exist",
                      "fix --data, or start the server once to create it");
    return false;
  }
  if (!fs::is_directory(dir, ec)) {
    doctor.report.add(Verdict::fail, "data directory", dir + " is not a directory",
                      "point --data at a directory");
    return false;
  }
  struct statvfs filesystem {};
  bool read_only = ::statvfs(dir.c_str(), &filesystem) == 0 && (filesystem.f_flag & ST_RDONLY);
  if (read_only || ::access(dir.c_str(), W_OK | X_OK) != 0) {
    doctor.report.add(Verdict::fail, "data directory", dir + " is not writable by this user",
                      "give the server's user write access (chown/chmod), or remount read-write");
    return true;
  }
  doctor.report.add(Verdict::ok, "data directory", dir + " is a writable directory");
  return true;
}

void check_disk_space(Doctor& doctor) {
  struct statvfs filesystem {};
  if (::statvfs(doctor.config.data_dir.c_str(), &filesystem) != 0) {
    doctor.report.add(Verdict::warn, "disk space", "cannot read the file system's free space");
    return;
  }
  std::uint64_t free_bytes = static_cast<std::uint64_t>(filesystem.f_bavail) * filesystem.f_frsize;
  std::string detail = std::to_string(free_bytes >> 20) + " MiB free";
  if (free_bytes < kFailFreeBytes) {
    doctor.report.add(Verdict::fail, "disk space", detail + " (under 100 MiB)",
                      "free space now: writes fail with 503 when the disk is full");
  } else if (free_bytes < kWarnFreeBytes) {
    doctor.report.add(Verdict::warn, "disk space", detail + " (under 1 GiB)",
                      "free space or grow the volume");
  } else {
    doctor.report.add(Verdict::ok, "disk space", detail);
  }
}

// ---- the database -----------------------------------------------------------------------------

std::string first_column_text(storage::Connection& db, std::string_view sql) {
  storage::Query query = db.query(sql);
  std::string text;
  while (query->step()) {
    if (!text.empty()) text += "; ";
    text += query->text(0);
  }
  return text;
}

void check_schema(Doctor& doctor) {
  int version = storage::schema_version(*doctor.db);
  int latest = storage::latest_schema_version();
  std::string detail = "version " + std::to_string(version);
  if (version == latest) {
    doctor.report.add(Verdict::ok, "schema", detail + " (current)");
  } else if (version < latest) {
    doctor.report.add(Verdict::warn, "schema",
                      detail + "; this binary brings it to " + std::to_string(latest),
                      "migrations run at the next start (or now: seoagents migrate)");
  } else {
    doctor.report.add(Verdict::fail, "schema",
                      detail + " is newer than this binary knows (" + std::to_string(latest) + ")",
                      "run the seoagents version that wrote it, or a newer one");
  }
}

// How to open the database without writing a byte: with no server and no WAL left over, as an
// immutable file (SQLite then creates no -shm or -wal file); else read-only beside the server.
std::string read_only_name(const std::string& path, bool server_running) {
  std::error_code ec;
  if (server_running || fs::exists(path + "-wal", ec)) return path;
  std::string uri = "file:";
  for (char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[c & 0x0F];
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

void check_database(Doctor& doctor) {
  std::string path = database_path(doctor.config.data_dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    doctor.report.add(Verdict::warn, "database", "no database yet at " + path,
                      "the server creates it at its first start");
    return;
  }
  try {
    doctor.db = std::make_unique<storage::Connection>(read_only_name(path, doctor.server_running),
                                                      storage::Connection::Mode::read_only);
    static constexpr std::string_view kQuickCheck = "PRAGMA quick_check";
    std::string verdict = first_column_text(*doctor.db, kQuickCheck);
    doctor.report.add(Verdict::ok, "database", path + " opens");
    check_schema(doctor);
    if (verdict == "ok") {
      doctor.report.add(Verdict::ok, "quick_check", "ok");
    } else {
      doctor.report.add(Verdict::fail, "quick_check", verdict.substr(0, 300),
                        "stop the server and restore the latest backup (seoagents restore)");
    }
  } catch (const std::exception& e) {
    doctor.db.reset();
    doctor.report.add(Verdict::fail, "database", e.what(),
                      "check the file's owner and permissions, or restore a backup");
  }
}

// ---- the master key ---------------------------------------------------------------------------

// The id and sealed secret of one stored secret (a site's password, else a webhook's secret).
std::optional<std::pair<std::string, std::string>> stored_secret(storage::Connection& db) {
  static constexpr std::string_view kSite = "SELECT id, password_sealed FROM sites LIMIT 1";
  static constexpr std::string_view kWebhook =
      "SELECT id, secret_sealed FROM webhooks WHERE deleted_at IS NULL LIMIT 1";
  for (std::string_view sql : {kSite, kWebhook}) {
    storage::Query query = db.query(sql);
    if (query->step()) return std::pair{std::string(query->text(0)), std::string(query->blob(1))};
  }
  return std::nullopt;
}

// The key from SEOAGENTS_MASTER_KEY or <data>/master.key; never creates the file.
void load_key(Doctor& doctor) {
  std::string path = doctor.config.data_dir + "/master.key";
  std::error_code ec;
  bool from_env = doctor.env("SEOAGENTS_MASTER_KEY").has_value();
  if (!from_env && !fs::exists(path, ec)) {
    bool secrets_stored = doctor.db && stored_secret(*doctor.db).has_value();
    if (secrets_stored) {
      doctor.report.add(Verdict::fail, "master key", path + " is missing",
                        "restore master.key from a backup (or set the SEOAGENTS_MASTER_KEY the "
                        "server used): a new key cannot open the stored site passwords and "
                        "webhook secrets");
    } else {
      doctor.report.add(Verdict::warn, "master key", path + " does not exist yet",
                        "the server creates it at its next start; back it up with the data");
    }
    return;
  }
  try {
    doctor.master_key = load_master_key(doctor.config.data_dir, doctor.env);
  } catch (const std::exception& e) {
    doctor.report.add(Verdict::fail, "master key", e.what(),
                      "restore master.key from a backup (64 hex characters)");
  }
}

void check_master_key(Doctor& doctor) {
  load_key(doctor);
  if (!doctor.master_key) return;
  std::string source = doctor.env("SEOAGENTS_MASTER_KEY") ? "SEOAGENTS_MASTER_KEY" : "master.key";
  auto secret = doctor.db ? stored_secret(*doctor.db) : std::nullopt;
  if (!secret) {
    doctor.report.add(Verdict::ok, "master key",
                      source + " loads (no stored secret to test it on)");
    return;
  }
  SecretBox box(derive_key(*doctor.master_key, "secrets"));
  if (box.open(secret->second, secret->first)) {
    doctor.report.add(Verdict::ok, "master key", source + " opens the stored secrets");
    return;
  }
  doctor.report.add(Verdict::fail, "master key",
                    source + " does not open the secret stored for " + secret->first,
                    "this is not the key the data was written with: restore the right "
                    "master.key (or SEOAGENTS_MASTER_KEY)");
}

// ---- outbound connectivity --------------------------------------------------------------------

using SendResult = Expected<OutboundResponse, OutboundFailure>;

asio::awaitable<void> send_into(OutboundClient& client, OutboundRequest request,
                                std::optional<SendResult>& result) {
  result.emplace(co_await client.send(std::move(request)));
}

// Sends one request and waits for its answer on a loop of its own.
SendResult send_now(const Config& config, bool allow_private, OutboundRequest request) {
  OutboundOptions options;
  options.connect_timeout = kConnectTimeout;
  options.response_timeout = kResponseTimeout;
  options.allow_private_targets = allow_private;
  options.ca_file = config.outbound_ca_file;
  OutboundClient client(options);
  asio::io_context io;
  std::optional<SendResult> result;
  asio::co_spawn(io, send_into(client, std::move(request), result), asio::detached);
  io.run();
  return std::move(*result);
}

// GET <base>/v1/models: free on Anthropic, OpenAI, Ollama, llama.cpp and vLLM, and it proves the
// address and the key.
OutboundRequest models_request(const Config::Content& content) {
  OutboundRequest request;
  request.headers.emplace_back("accept", "application/json");
  if (content.writer == "anthropic") {
    request.url = jobs::versioned_url(content.anthropic_base_url, "models");
    request.headers.emplace_back("x-api-key", content.anthropic_api_key);
    request.headers.emplace_back("anthropic-version", "2023-06-01");
    return request;
  }
  std::string_view base = content.openai_base_url;
  if (base.ends_with("/chat/completions"))
    base.remove_suffix(std::string_view("/chat/completions").size());
  request.url = jobs::versioned_url(base, "models");
  if (!content.openai_api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + content.openai_api_key);
  }
  return request;
}

void check_model_server(Doctor& doctor) {
  const Config::Content& content = doctor.config.content;
  if (content.writer == "builtin") {
    doctor.report.add(Verdict::ok, "writer", "builtin (needs no model server)");
    return;
  }
  bool anthropic = content.writer == "anthropic";
  std::string key_name = anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
  std::string flag = anthropic ? "--anthropic-base-url" : "--openai-base-url";
  OutboundRequest request = models_request(content);
  std::string what = content.writer + " at " + request.url;
  // The model server is the operator's own configuration: private addresses are allowed.
  auto sent = send_now(doctor.config, true, std::move(request));
  if (!sent) {
    doctor.report.add(Verdict::fail, "writer",
                      what + ": " + wordpress::describe_failure(sent.error()),
                      "start the model server or fix " + flag);
  } else if (sent->status == 401 || sent->status == 403) {
    doctor.report.add(Verdict::fail, "writer",
                      what + ": HTTP " + std::to_string(sent->status) + " (the key is refused)",
                      "set a valid " + key_name + " in the server's environment");
  } else if (sent->status / 100 == 2) {
    doctor.report.add(Verdict::ok, "writer",
                      what + " answers (HTTP " + std::to_string(sent->status) + ")");
  } else if (sent->status >= 500) {
    doctor.report.add(Verdict::fail, "writer", what + ": HTTP " + std::to_string(sent->status),
                      "the model server is failing: check its logs");
  } else {
    doctor.report.add(Verdict::warn, "writer", what + ": HTTP " + std::to_string(sent->status),
                      "reachable, but check " + flag + " points at the API's root");
  }
}

std::vector<storage::Site> sites_to_check(storage::Connection& db, std::int64_t& total) {
  static constexpr std::string_view kCount = "SELECT count(*) FROM sites";
  static constexpr std::string_view kOldest =
      "SELECT id FROM sites ORDER BY created_at, id LIMIT ?";
  {
    storage::Query count = db.query(kCount);
    total = count->step() ? count->integer(0) : 0;
  }
  std::vector<std::string> ids;
  {
    storage::Query oldest = db.query(kOldest);
    oldest->bind(1, kMaxSitesChecked);
    while (oldest->step())
      ids.emplace_back(oldest->text(0));
  }
  std::vector<storage::Site> sites;
  for (const std::string& id : ids) {
    if (auto site = storage::find_site(db, id)) sites.push_back(std::move(*site));
  }
  return sites;
}

// A site that cannot be reached is the site owner's problem, not the server's: a warning.
void check_site(Doctor& doctor, const SecretBox& box, const storage::Site& site) {
  std::string name = "wordpress " + site.id;
  auto password = box.open(site.password_sealed, site.id);
  if (!password) {
    doctor.report.add(Verdict::fail, name, "the stored password cannot be opened",
                      "restore the master key the site was stored with");
    return;
  }
  wordpress::SiteCredentials credentials{site.url, site.username, *password};
  auto sent = send_now(doctor.config, doctor.config.allow_private_targets,
                       wordpress::rest_request(boost::beast::http::verb::get, credentials,
                                               "wp/v2/users/me?context=edit"));
  if (!sent) {
    doctor.report.add(
        Verdict::warn, name, site.url + ": " + wordpress::describe_failure(sent.error()),
        "check the site is up and its URL is right (PUT /v1/dashboard/sites/" + site.id + ")");
  } else if (sent->status == 200) {
    doctor.report.add(Verdict::ok, name, site.url + " accepts the stored credentials");
  } else {
    doctor.report.add(Verdict::warn, name, site.url + ": " + wordpress::describe_error(*sent),
                      "update the site's username or application password");
  }
}

void check_wordpress_sites(Doctor& doctor) {
  if (!doctor.db) return;
  std::int64_t total = 0;
  std::vector<storage::Site> sites = sites_to_check(*doctor.db, total);
  if (sites.empty()) {
    doctor.report.add(Verdict::ok, "wordpress", "no sites stored");
    return;
  }
  if (!doctor.master_key) {
    doctor.report.add(Verdict::warn, "wordpress", "not checked: no master key to open passwords");
    return;
  }
  SecretBox box(derive_key(*doctor.master_key, "secrets"));
  for (const storage::Site& site : sites)
    check_site(doctor, box, site);
  if (total > kMaxSitesChecked) {
    doctor.report.add(Verdict::ok, "wordpress",
                      "checked the oldest " + std::to_string(kMaxSitesChecked) + " of " +
                          std::to_string(total) + " sites");
  }
}

// ---- the server and its port ------------------------------------------------------------------

void check_port(Doctor& doctor) {
  const Config& config = doctor.config;
  bool running = doctor.server_running;
  std::string where = config.host + ":" + std::to_string(config.port);
  if (config.port == 0) {
    doctor.report.add(Verdict::ok, "port", "0: the server picks a free port at start");
    return;
  }
  boost::system::error_code ec;
  asio::io_context io;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(config.host, ec), config.port);
  asio::ip::tcp::acceptor acceptor(io);
  if (!ec) acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) {
    std::string state = running ? " (the server running on this data directory uses another)" : "";
    doctor.report.add(Verdict::ok, "port", where + " is free" + state);
  } else if (ec == asio::error::address_in_use && running) {
    doctor.report.add(Verdict::ok, "port",
                      where + " is in use: a server is running on this data directory");
  } else if (ec == asio::error::address_in_use) {
    doctor.report.add(Verdict::fail, "port", where + " is in use by another program",
                      "stop it, or give the server another --port");
  } else {
    doctor.report.add(Verdict::fail, "port", where + ": " + ec.message(),
                      "check --host is an address of this machine (and the port's privileges)");
  }
}

}  // namespace

const char* doctor_usage() {
  return "  seoagents doctor [server options: --config FILE, --data DIR, --port N, --writer …]\n"
         "                                checks the data directory, disk, database, master key,\n"
         "                                model server, WordPress sites and port; changes "
         "nothing\n";
}

int run_doctor_command(const std::vector<std::string>& args) {
  // file: names (read_only_name); before SQLite initialises, which no other call has done yet.
  sqlite3_config(SQLITE_CONFIG_URI, 1);
  Doctor doctor;
  doctor.env = process_environment();
  ConfigResult loaded = load_config(args, doctor.env);
  if (!loaded.error.empty()) {
    doctor.report.add(Verdict::fail, "configuration", loaded.error,
                      "fix it (see seoagents --help)");
    return 1;
  }
  doctor.config = std::move(loaded.config);
  doctor.server_running = server_holds_directory(doctor.config.data_dir);
  doctor.report.add(Verdict::ok, "configuration",
                    doctor.config.config_file.empty() ? "defaults, environment and flags load"
                                                      : doctor.config.config_file + " loads");
  if (check_data_directory(doctor)) {
    check_disk_space(doctor);
    check_database(doctor);
    check_master_key(doctor);
  }
  check_model_server(doctor);
  check_wordpress_sites(doctor);
  check_port(doctor);
  return doctor.report.failed() ? 1 : 0;
}

}  // namespace seoagents
