// Loading or creating the master key.
#include "core/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <span>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/random_id.hpp"

namespace seoagents {
namespace {

constexpr std::size_t kKeyBytes = 32;

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() != kKeyBytes * 2) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int high = digit(hex[i]);
    int low = digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

std::string create_key_file(const std::string& path) {
  std::string hex = secure_random_hex(kKeyBytes);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error(path + ": cannot create the master key file");
  std::string line = hex + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) throw std::runtime_error(path + ": cannot write the master key file");
  return hex;
}

}  // namespace

std::string load_master_key(const std::string& data_dir, const EnvLookup& env) {
  if (auto value = env("SEOAGENTS_MASTER_KEY")) {
    auto key = from_hex(*value);
    if (!key) throw std::runtime_error("SEOAGENTS_MASTER_KEY must be 64 hex characters");
    return *key;
  }
  std::string path = data_dir + "/master.key";
  std::ifstream file(path);
  std::string hex;
  if (!file) {
    hex = create_key_file(path);
  } else {
    std::getline(file, hex);
  }
  auto key = from_hex(hex);
  if (!key) throw std::runtime_error(path + ": not a master key (64 hex characters)");
  return *key;
}

std::string derive_key(std::string_view master_key, std::string_view purpose) {
  return hmac_sha256(master_key, std::string("seoagents/") + std::string(purpose));
}

}  // namespace seoagents
