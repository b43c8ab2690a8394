// JSON-lines logger: formats a whole line, then hands it to the sink in one piece.
#include "core/log.hpp"

#include <unistd.h>

#include <chrono>

#include "core/clock.hpp"
#include "core/json_writer.hpp"

namespace seoagents {
namespace {

void write_to_stderr(std::string_view line) {
  // One write(2) per line keeps lines from different threads whole.
  const char* data = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) {
      return;  // nowhere left to report a logging failure
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "debug") return LogLevel::debug;
  if (text == "info") return LogLevel::info;
  if (text == "warn") return LogLevel::warn;
  if (text == "error") return LogLevel::error;
  return std::nullopt;
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

Logger::Logger(LogLevel min_level) : Logger(min_level, write_to_stderr) {}

Logger::Logger(LogLevel min_level, Sink sink) : min_level_(min_level), sink_(std::move(sink)) {}

void Logger::log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!enabled(level)) {
    return;
  }
  std::string line;
  line.reserve(256);
  JsonWriter json(line);
  json.begin_object()
      .member("ts", format_rfc3339_ms(std::chrono::system_clock::now()))
      .member("level", to_string(level))
      .member("event", event);
  for (const LogField& field : fields) {
    json.key(field.key);
    std::visit([&](const auto& v) { json.value(v); }, field.value);
  }
  json.end_object();
  line += '\n';
  sink_(line);
}

}  // namespace seoagents
