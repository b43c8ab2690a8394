// The arguments of the administration commands (`keys`, `accounts`, `jwt`): words, and
// `--name value` / `--name=value` options.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seoagents {

struct CommandArguments {
  // Words that are not options, in order.
  std::vector<std::string> words;
  // --name value pairs.
  std::map<std::string, std::string> options;
  // Set when an option has no value.
  std::string error;
};

CommandArguments parse_command_arguments(const std::vector<std::string>& args);

// The value of --name, if given.
std::optional<std::string> option(const CommandArguments& args, const std::string& name);

}  // namespace seoagents
