// Keyset pagination SQL: "the rows after (sort value, id) in this order", so a page costs the
// same at row 10 and at row 10 million. The statements are composed only from constants (table
// queries and whitelisted column names), never from request text.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::storage {

// Every keyset statement of one list: each whitelisted sort column, ascending and descending,
// first page and later pages. Built once (a function-local static), then read without locks.
class KeysetStatements {
 public:
  // `select`: "SELECT <columns> FROM <table> WHERE <filter>" whose filter uses parameters
  // 1..filter_parameters. A later page binds (sort value, id) after them; `LIMIT` is last.
  KeysetStatements(std::string_view select, int filter_parameters,
                   std::initializer_list<std::string_view> sort_columns);

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

}  // namespace seoagents::storage
