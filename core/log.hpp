// Structured logging: one JSON object per line on stderr (or a sink a test provides).
// Thread-safe: each line is formatted on the caller's thread and written with a single call.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace seoagents {

enum class LogLevel { debug, info, warn, error };

std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogLevel level);

// One "key": value member of a log line.
struct LogField {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool> value;

  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, std::int64_t v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  LogField(std::string_view k, unsigned v) : key(k), value(std::uint64_t{v}) {}
  LogField(std::string_view k, std::uint64_t v) : key(k), value(v) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
};

class Logger {
 public:
  // Receives each complete line, newline included. Called from any thread.
  using Sink = std::function<void(std::string_view line)>;

  // Logs to stderr.
  explicit Logger(LogLevel min_level);
  Logger(LogLevel min_level, Sink sink);

  bool enabled(LogLevel level) const { return level >= min_level_; }

  // {"ts":"...","level":"info","event":"<event>", fields...}
  void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

  void debug(std::string_view event, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::debug, event, fields);
  }
  void info(std::string_view event, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::info, event, fields);
  }
  void warn(std::string_view event, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::warn, event, fields);
  }
  void error(std::string_view event, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::error, event, fields);
  }

 private:
  // Lines below this level are dropped before they are formatted.
  LogLevel min_level_;
  // Where finished lines go.
  Sink sink_;
};

}  // namespace seoagents
