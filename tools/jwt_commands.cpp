// `seoagents jwt keygen --out DIR` and `seoagents jwt mint ...` (see jwt_commands.hpp).
#include "tools/jwt_commands.hpp"

#include <sys/stat.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "core/clock.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "core/random_id.hpp"
#include "storage/accounts.hpp"
#include "tools/command_arguments.hpp"

namespace seoagents {
namespace {

constexpr std::string_view kKeyFile = "jwt-private.pem";
constexpr std::string_view kJwksFile = "jwks.json";
constexpr std::int64_t kMaxTtlSeconds = 7 * 24 * 3600;

int usage_error(const std::string& message) {
  std::cerr << "seoagents: " << message << "\n\n" << jwt_usage();
  return 2;
}

bool write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  return file.good() && ::chmod(path.c_str(), mode) == 0;
}

int keygen(const CommandArguments& args) {
  auto out = args.options.find("out");
  if (out == args.options.end()) return usage_error("jwt keygen needs --out DIR");
  std::filesystem::path dir(out->second);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "seoagents: cannot create " << dir << ": " << ec.message() << "\n";
    return 1;
  }
  if (std::filesystem::exists(dir / kKeyFile)) {
    std::cerr << "seoagents: " << (dir / kKeyFile) << " exists; not overwriting it\n";
    return 1;
  }
  auto key = generate_rsa_key_pem(2048);
  std::string kid = "seoagents-" + secure_random_hex(4);
  auto jwks = key ? jwks_for_private_key(*key, kid) : unexpected(key.error());
  if (!jwks) {
    std::cerr << "seoagents: " << jwks.error() << "\n";
    return 1;
  }
  if (!write_file(dir / kKeyFile, *key, 0600) || !write_file(dir / kJwksFile, *jwks, 0644)) {
    std::cerr << "seoagents: cannot write the key files in " << dir << "\n";
    return 1;
  }
  std::cout << "private key: " << (dir / kKeyFile).string() << "\n"
            << "JWKS (serve with --jwks-file): " << (dir / kJwksFile).string() << "\n"
            << "kid: " << kid << "\n";
  return 0;
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The kid of the JWKS that keygen wrote beside the key (its only key), if there is one.
std::optional<std::string> kid_beside(const std::string& key_path) {
  auto jwks_text = read_text((std::filesystem::path(key_path).parent_path() / kJwksFile).string());
  if (!jwks_text) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value jwks = boost::json::parse(*jwks_text, ec);
  if (ec || !jwks.is_object()) return std::nullopt;
  const boost::json::value* keys = jwks.as_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array() || keys->as_array().size() != 1) return std::nullopt;
  const boost::json::value& key = keys->as_array().front();
  const boost::json::value* kid = key.is_object() ? key.as_object().if_contains("kid") : nullptr;
  if (kid == nullptr || !kid->is_string()) return std::nullopt;
  return std::string(kid->as_string());
}

int mint(const CommandArguments& args) {
  for (const char* required : {"key", "sub", "issuer", "audience"}) {
    if (!args.options.contains(required)) {
      return usage_error(std::string("jwt mint needs --") + required);
    }
  }
  std::int64_t ttl = 3600;
  if (auto it = args.options.find("ttl"); it != args.options.end()) {
    const std::string& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ttl);
    if (ec != std::errc() || end != text.data() + text.size() || ttl < 1 || ttl > kMaxTtlSeconds) {
      return usage_error("--ttl takes whole seconds from 1 to 604800");
    }
  }
  auto plan = args.options.find("plan");
  if (plan != args.options.end() && !storage::parse_plan(plan->second)) {
    return usage_error("--plan must be starter, professional, agency or enterprise");
  }
  const std::string& key_path = args.options.at("key");
  auto key = read_text(key_path);
  if (!key) {
    std::cerr << "seoagents: cannot read " << key_path << "\n";
    return 1;
  }
  std::optional<std::string> kid;
  if (auto it = args.options.find("kid"); it != args.options.end()) kid = it->second;
  if (!kid) kid = kid_beside(key_path);
  if (!kid) return usage_error("jwt mint needs --kid (no jwks.json beside the key)");

  std::int64_t now = unix_seconds(std::chrono::system_clock::now());
  boost::json::object claims;
  claims["iss"] = args.options.at("issuer");
  claims["aud"] = args.options.at("audience");
  claims["sub"] = args.options.at("sub");
  claims["token_use"] = "id";
  claims["iat"] = now;
  claims["exp"] = now + ttl;
  if (plan != args.options.end()) {
    std::string claim = args.options.contains("plan-claim") ? args.options.at("plan-claim")
                                                            : std::string("custom:plan");
    claims[claim] = plan->second;
  }
  auto token = mint_token(*key, *kid, claims);
  if (!token) {
    std::cerr << "seoagents: " << token.error() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

const char* jwt_usage() {
  return "  seoagents jwt keygen --out DIR   an RSA key (jwt-private.pem) and its JWKS "
         "(jwks.json)\n"
         "  seoagents jwt mint --key PEM --sub SUB --issuer ISS --audience AUD [--plan PLAN]\n"
         "                     [--ttl SECONDS] [--kid KID] [--plan-claim NAME]\n"
         "                                prints a signed ID token (RS256)\n";
}

int run_jwt_command(const std::vector<std::string>& raw_args) {
  CommandArguments args = parse_command_arguments(raw_args);
  if (!args.error.empty()) return usage_error(args.error);
  if (args.words.size() > 1) return usage_error("unexpected argument '" + args.words[1] + "'");
  std::string action = args.words.empty() ? "" : args.words[0];
  if (action == "keygen") return keygen(args);
  if (action == "mint") return mint(args);
  return usage_error("jwt needs keygen or mint");
}

}  // namespace seoagents
