// Fuzz target: one whole HTTP request as bytes off the wire. Beast's parser with the server's
// limits, the server's own framing checks (http/wire.hpp), then the router, the middleware
// (authentication, rate limits, idempotency) and the handlers of a real App with a real database
// (fuzz/app_under_fuzz.hpp). Tokens such as @KEY@ and @AGENT@ in the input become the
// credentials and ids of that App, so mutations reach the authenticated handlers.
#include <boost/beast/http/parser.hpp>

#include "core/config.hpp"
#include "fuzz/app_under_fuzz.hpp"
#include "fuzz/targets.hpp"
#include "http/wire.hpp"

namespace seoagents::fuzz {

int http_request(const std::uint8_t* data, std::size_t size) {
  AppUnderFuzz& app = AppUnderFuzz::instance();
  std::string bytes = app.substitute(as_text(data, size));
  if (http::has_obs_fold(bytes)) return 0;  // refused before the parser (400)
  const Config limits;
  http::bhttp::request_parser<http::bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::system::error_code ec;
  parser.put(boost::asio::buffer(bytes), ec);
  if (ec || !parser.is_done()) return 0;  // the server answers 400/413/431 or waits for more
  http::Response response = app.answer(parser.get(), size % 2);
  check_answer(response);
  std::string out;
  http::serialize_response(response, false, out);
  return 0;
}

}  // namespace seoagents::fuzz
