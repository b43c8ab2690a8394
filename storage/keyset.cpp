// Composition of keyset-pagination statements, and the binding of one page's parameters.
#include "storage/keyset.hpp"

#include <stdexcept>

namespace seoagents::storage {
namespace {

std::string compose(std::string_view select, int filter_parameters, std::string_view column,
                    std::string_view id_column, bool descending, bool after_cursor) {
  std::string sql(select);
  int next = filter_parameters + 1;
  std::string_view op = descending ? " < " : " > ";
  if (after_cursor) {
    std::string value = "?";
    value += std::to_string(next);
    std::string id = "?";
    id += std::to_string(next + 1);
    // A row-value comparison: one range on the (column, id) index, whatever the ties.
    sql.append(" AND (").append(column).append(", ").append(id_column).append(")").append(op);
    sql.append("(").append(value).append(", ").append(id).append(")");
    next += 2;
  }
  std::string_view direction = descending ? " DESC" : " ASC";
  sql.append(" ORDER BY ").append(column).append(direction);
  sql.append(", ").append(id_column).append(direction);
  sql.append(" LIMIT ?").append(std::to_string(next));
  return sql;
}

}  // namespace

KeysetStatements::KeysetStatements(std::string_view select, int filter_parameters,
                                   std::initializer_list<std::string_view> sort_columns,
                                   std::string_view id_column)
    : filter_parameters_(filter_parameters) {
  for (std::string_view column : sort_columns) {
    for (bool descending : {false, true}) {
      for (bool after_cursor : {false, true}) {
        std::string name(column);
        entries_.push_back(
            {name, descending, after_cursor,
             compose(select, filter_parameters, name, id_column, descending, after_cursor)});
      }
    }
  }
}

std::string_view KeysetStatements::sql(std::string_view sort_column, bool descending,
                                       bool after_cursor) const {
  for (const Entry& entry : entries_) {
    if (entry.column == sort_column && entry.descending == descending &&
        entry.after_cursor == after_cursor) {
      return entry.sql;
    }
  }
  throw std::invalid_argument("not a sort column of this list: " + std::string(sort_column));
}

void bind_position(Statement& statement, int first, const PagePosition& position) {
  std::visit([&](const auto& value) { statement.bind(first, value); }, position.sort_value);
  statement.bind(first + 1, position.id);
}

void bind_page(Statement& statement, const KeysetStatements& statements,
               std::initializer_list<std::string_view> filter, const KeysetPage& page) {
  if (static_cast<int>(filter.size()) != statements.filter_parameters()) {
    throw std::invalid_argument("a keyset page needs one value per filter parameter");
  }
  int next = 1;
  for (std::string_view value : filter)
    statement.bind(next++, value);
  if (page.after) {
    bind_position(statement, next, *page.after);
    next += 2;
  }
  statement.bind(next, static_cast<std::int64_t>(page.limit));
}

}  // namespace seoagents::storage
