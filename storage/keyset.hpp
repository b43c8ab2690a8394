// Keyset pagination: "the rows after (sort value, id) in this order", so a page costs the same
// at row 10 and at row 10 million. The statements are composed only from constants (table
// queries and whitelisted column names), never from request text; read_page() runs one page.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

// Every keyset statement of one list: each whitelisted sort column, ascending and descending,
// first page and later pages. Built once (a function-local static), then read without locks.
class KeysetStatements {
 public:
  // `select`: "SELECT <columns> FROM <table> WHERE <filter>" whose filter uses parameters
  // 1..filter_parameters. A later page binds (sort value, id) after them; `LIMIT` is last.
  // `id_column`: the unique column that breaks ties in the order.
  KeysetStatements(std::string_view select, int filter_parameters,
                   std::initializer_list<std::string_view> sort_columns,
                   std::string_view id_column = "id");

  // The SQL for one combination; `sort_column` must be one of the constructor's.
  std::string_view sql(std::string_view sort_column, bool descending, bool after_cursor) const;

  int filter_parameters() const { return filter_parameters_; }

 private:
  struct Entry {
    std::string column;
    bool descending;
    bool after_cursor;
    std::string sql;
  };
  int filter_parameters_;
  std::vector<Entry> entries_;
};

// Where a keyset page starts: after the row with this sort value and id.
struct PagePosition {
  std::variant<std::int64_t, std::string> sort_value;
  std::string id;
};

// Binds a page position at parameters `first` (sort value) and `first + 1` (id).
void bind_position(Statement& statement, int first, const PagePosition& position);

// One page as a list function is asked for it. Built in the call to read_page(): it refers to
// the caller's `after`.
struct KeysetPage {
  // One of the KeysetStatements' sort columns.
  std::string_view sort_column;
  bool descending;
  // The row the page starts after; nullopt for the first page.
  const std::optional<PagePosition>& after;
  // At most this many rows.
  std::size_t limit;
};

// Binds a page query: `filter` at parameters 1..filter_parameters (its size must be that
// number), then the position when there is one, then the limit.
void bind_page(Statement& statement, const KeysetStatements& statements,
               std::initializer_list<std::string_view> filter, const KeysetPage& page);

// Runs one page: the statement for the page's sort column, direction and position, bound by
// bind_page(), each row mapped by `read_row`.
template <class Row>
std::vector<Row> read_page(Connection& db, const KeysetStatements& statements,
                           std::initializer_list<std::string_view> filter, const KeysetPage& page,
                           Row (*read_row)(Statement&)) {
  Query query = db.query(statements.sql(page.sort_column, page.descending, page.after.has_value()));
  bind_page(*query, statements, filter, page);
  std::vector<Row> rows;
  while (query->step())
    rows.push_back(read_row(*query));
  return rows;
}

}  // namespace seoagents::storage
