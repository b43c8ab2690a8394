// A SQLite store in a fresh temporary directory for benchmarks, removed with it. Not started:
// writes run on the calling thread, each in a transaction of its own.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/log.hpp"
#include "storage/store.hpp"

namespace seoagents {

class BenchDatabase {
 public:
  explicit BenchDatabase(storage::Durability durability = storage::Durability::normal) {
    char pattern[] = "/tmp/seoagents-bench-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    store_ = std::make_unique<storage::Store>(
        storage::Store::Options{directory_ + "/seoagents.db", durability}, logger_);
  }
  ~BenchDatabase() {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  storage::Store& store() { return *store_; }
  Logger& logger() { return logger_; }

  template <class T>
  T write(const std::function<T(storage::Connection&)>& work) {
    auto result = store_->write_before_start<T>(work);
    if (!result) throw std::runtime_error(result.error().detail);
    return std::move(*result);
  }

 private:
  Logger logger_{LogLevel::error, [](std::string_view) {}};
  std::string directory_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace seoagents
