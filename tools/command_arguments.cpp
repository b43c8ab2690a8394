// Parsing of the administration commands' arguments (see command_arguments.hpp).
#include "tools/command_arguments.hpp"

namespace seoagents {

CommandArguments parse_command_arguments(const std::vector<std::string>& args) {
  CommandArguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!args[i].starts_with("--")) {
      parsed.words.push_back(args[i]);
      continue;
    }
    std::string name = args[i].substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) {
      parsed.options[name.substr(0, eq)] = name.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      parsed.options[name] = args[++i];
    } else {
      parsed.error = "--" + name + " needs a value";
    }
  }
  return parsed;
}

std::optional<std::string> option(const CommandArguments& args, const std::string& name) {
  auto it = args.options.find(name);
  if (it == args.options.end()) return std::nullopt;
  return it->second;
}

}  // namespace seoagents
