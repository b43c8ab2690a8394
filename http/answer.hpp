// What the pipeline answers: the response, and beside it the headers that every response
// carries. The server writes those straight into the serialised response: as Beast fields they
// would cost an allocation and a tree insertion each, on every request.
#pragma once

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "http/types.hpp"

namespace seoagents::http {

inline constexpr std::string_view kServerName = "seoagents";

// The pipeline's headers of one response (CORS and Connection stay fields of the response).
struct StandardHeaders {
  // X-Request-Id.
  std::string request_id;
  // Cache-Control: no-store, when the handler set no policy of its own.
  bool no_store = false;
  // Content-Length: absent for 1xx, 204 and 304, which have no body.
  std::optional<std::size_t> content_length;
  // X-RateLimit-Limit, -Remaining and -Reset, when the rate-limit stage counted the request.
  std::optional<RequestContext::RateStanding> rate_limit;

  // Calls emit(name, value) for each header, in the order they are written.
  template <class Emit>
  void each(Emit&& emit) const;
};

struct Answer {
  Response response;
  StandardHeaders headers;

  // The response with the standard headers set as its fields: for the WebSocket handshake, and
  // for whoever looks at a response as a whole.
  Response complete() &&;
};

template <class Emit>
void StandardHeaders::each(Emit&& emit) const {
  char digits[24];  // number()'s text: each value is emitted before the next is formatted
  auto number = [&digits](auto value) {
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    return std::string_view(digits, static_cast<std::size_t>(end - digits));
  };
  emit("Server", kServerName);
  emit("Date", http_date_now());
  emit("X-Request-Id", request_id);
  // Answers are JSON for API clients: never sniffed as something else.
  emit("X-Content-Type-Options", "nosniff");
  if (no_store) emit("Cache-Control", "no-store");
  if (rate_limit) {
    emit("X-RateLimit-Limit", number(rate_limit->limit));
    emit("X-RateLimit-Remaining", number(rate_limit->remaining));
    emit("X-RateLimit-Reset", number(rate_limit->reset_epoch_seconds));
  }
  if (content_length) emit("Content-Length", number(*content_length));
}

}  // namespace seoagents::http
