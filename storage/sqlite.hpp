// A thin RAII layer over the SQLite C API: connections, prepared statements cached per
// connection (keyed by the SQL constant's text), and typed binding and reading. Failures throw
// SqliteError inside the storage layer; the store turns them into StorageError values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seoagents::storage {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  // The primary result code (SQLITE_BUSY, SQLITE_FULL, SQLITE_CONSTRAINT…).
  int code() const { return code_ & 0xFF; }
  int extended_code() const { return code_; }

 private:
  int code_;
};

// One prepared statement. Bind parameters are 1-based, columns 0-based (as in SQLite).
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, int number) { return bind(index, std::int64_t{number}); }
  Statement& bind(int index, double number);
  // Binds bytes as a BLOB (not text: they need not be UTF-8).
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, const std::optional<std::int64_t>& number);

  // Advances to the next row: true when there is one, false when done.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Clears bindings and rewinds; the cached statement is ready for its next use.
  void reset();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  // Valid until the next step() or reset().
  std::string_view text(int column) const;
  std::string_view blob(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;

 private:
  void check(int rc) const;
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

// A statement borrowed from a connection's cache for one use; reset when it goes out of scope.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(statement) {}
  ~Query() { statement_.reset(); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

class Connection {
 public:
  enum class Mode { read_write, read_only };

  // Opens (creating it when read_write) the database at `path`; throws SqliteError.
  Connection(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  // The cached prepared statement for `sql`, which must be a constant with static storage (the
  // cache is keyed by its address and text).
  Query query(std::string_view sql);
  // Rows changed by the last statement.
  std::int64_t changes() const;
  sqlite3* handle() { return db_; }

  // An action to run once the write in progress is committed: announcing what it wrote, in
  // commit order (the store runs them on the writer thread after COMMIT, and drops those of a
  // write that rolled back). Only on the store's writer connection.
  void after_commit(std::function<void()> action) { after_commit_.push_back(std::move(action)); }
  std::vector<std::function<void()>>& pending_after_commit() { return after_commit_; }

 private:
  sqlite3* db_ = nullptr;
  std::vector<std::function<void()>> after_commit_;
  std::unordered_map<std::string_view, std::unique_ptr<Statement>> statements_;
};

// True for the result codes that mean the disk or the file cannot take writes now.
bool is_storage_unavailable(int code);

}  // namespace seoagents::storage
