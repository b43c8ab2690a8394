// Shared resource errors and cursor conversion.
#include "http/resources.hpp"

namespace seoagents::http {

namespace bhttp = boost::beast::http;
namespace errors {

ApiError not_found(std::string_view kind, std::string_view id) {
  return {bhttp::status::not_found,
          "RESOURCE_NOT_FOUND",
          std::string(kind) + " not found: " + std::string(id),
          {}};
}

ApiError forbidden(std::string_view kind, std::string_view id) {
  return {bhttp::status::forbidden,
          "FORBIDDEN",
          std::string(kind) + " " + std::string(id) + " belongs to another account",
          {}};
}

ApiError conflict(std::string message) {
  return {bhttp::status::conflict, "CONFLICT", std::move(message), {}};
}

}  // namespace errors

ApiError storage_failure(const storage::StorageError& error, Logger& logger,
                         std::string_view request_id) {
  if (error.kind == storage::StorageError::Kind::unavailable) {
    logger.error("storage_unavailable", {{"request_id", request_id}, {"error", error.detail}});
    return {bhttp::status::service_unavailable,
            "STORAGE_UNAVAILABLE",
            "The server cannot store data right now; retry later",
            {}};
  }
  logger.error("storage_failed", {{"request_id", request_id}, {"error", error.detail}});
  return errors::internal_error();
}

std::optional<storage::PagePosition> page_position(const std::optional<CursorPosition>& cursor) {
  if (!cursor) return std::nullopt;
  storage::PagePosition position;
  if (cursor->sort_value.is_int64()) {
    position.sort_value = cursor->sort_value.as_int64();
  } else {
    position.sort_value = std::string(cursor->sort_value.as_string());
  }
  position.id = cursor->id;
  return position;
}

}  // namespace seoagents::http
