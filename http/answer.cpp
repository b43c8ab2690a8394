// Turning an answer's standard headers into fields (see answer.hpp).
#include "http/answer.hpp"

namespace seoagents::http {

Response Answer::complete() && {
  headers.each(
      [this](std::string_view name, std::string_view value) { response.set(name, value); });
  return std::move(response);
}

}  // namespace seoagents::http
