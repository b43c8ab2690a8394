// seoagents-dataset: creates the load test's dataset in a new data directory (see --help).
#include <sys/stat.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"
#include "tools/dataset/generator.hpp"
#include "tools/dataset/options.hpp"

namespace {

namespace fs = std::filesystem;
using seoagents::dataset::DatasetOptions;

constexpr std::string_view kProgram = "seoagents-dataset: ";

int usage_error(const std::string& message) {
  std::cerr << kProgram << message << " (see --help)\n";
  return 2;
}

std::string database_file(const std::string& data_dir) {
  return data_dir + "/seoagents.db";
}

// Creates the directory (mode 0700) if it is missing; the reason when it cannot be used.
std::optional<std::string> prepare_directory(const std::string& data_dir) {
  std::error_code ec;
  bool created = fs::create_directories(data_dir, ec);
  if (ec) return "--data " + data_dir + ": cannot create: " + ec.message();
  if (!fs::is_directory(data_dir, ec)) return "--data " + data_dir + ": not a directory";
  if (created) fs::permissions(data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return std::nullopt;
}

std::uintmax_t database_bytes(const std::string& data_dir) {
  std::uintmax_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    auto size = fs::file_size(database_file(data_dir) + suffix, ec);
    if (!ec) total += size;
  }
  return total;
}

int generate(const DatasetOptions& options) {
  seoagents::Logger logger(seoagents::LogLevel::warn);
  auto store = std::make_unique<seoagents::storage::Store>(
      seoagents::storage::Store::Options{database_file(options.data_dir),
                                         seoagents::storage::Durability::normal},
      logger);
  seoagents::storage::FilesystemObjectStore objects(options.data_dir + "/objects");
  seoagents::dataset::Generator generator(options, *store, objects, std::cerr);
  boost::json::object summary = generator.run();
  store.reset();
  summary["data_dir"] = options.data_dir;
  summary["database_bytes"] = static_cast<std::uint64_t>(database_bytes(options.data_dir));
  std::string text = boost::json::serialize(summary) + "\n";
  if (options.out_file.empty()) {
    std::cout << text << std::flush;
    return 0;
  }
  std::ofstream out(options.out_file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << kProgram << "cannot write --out " << options.out_file << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto options = seoagents::dataset::parse_options(args);
  if (!options) return usage_error(options.error());
  if (options->help) {
    std::cout << seoagents::dataset::usage_text();
    return 0;
  }
  std::error_code ec;
  if (fs::exists(database_file(options->data_dir), ec)) {
    return usage_error("--data " + options->data_dir +
                       " already holds a database (seoagents.db); give a new or empty directory");
  }
  if (auto problem = prepare_directory(options->data_dir)) return usage_error(*problem);
  try {
    return generate(*options);
  } catch (const std::exception& e) {
    std::cerr << kProgram << e.what() << "\n";
    return 1;
  }
}
