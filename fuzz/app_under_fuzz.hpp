// The server the HTTP fuzz targets talk to: a real App (SQLite in a temporary data directory,
// its loops running; no job worker, so submitted jobs stay pending) that takes parsed requests
// without a socket, on one of its loops as a connection would, through the server's own framing
// checks, router, middleware and handlers.
//
// It is set up once per process: one account on the enterprise plan with its limits lifted (so
// rate limits do not hide the handlers from the fuzzer) and one resource of each kind, whose ids
// replace tokens in the inputs: @KEY@ (the account's API key), @KEY_ID@, @AGENT@, @SITE@,
// @WEBHOOK@ and @JOB@. Site and webhook URLs may point at loopback (--allow-private-targets), so
// that verifying them fails at once on a closed port instead of waiting for DNS; the SSRF rules
// themselves have their own target (outbound_url).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "http/types.hpp"

namespace seoagents {
class App;
}

namespace seoagents::fuzz {

class AppUnderFuzz {
 public:
  // The process's one instance, started on first use.
  static AppUnderFuzz& instance();
  ~AppUnderFuzz();

  // The answer to a complete request, as the server would write it: a framing error, or what the
  // pipeline answers (on loop `loop`, below the App's thread count).
  http::Response answer(http::Request& request, unsigned loop = 0);
  // The API key of the App's account.
  const std::string& key() const { return key_; }
  // `text` with every token (@KEY@, @AGENT@, ...) replaced by its value.
  std::string substitute(std::string_view text) const;
  // The routes that take a JSON body (POST and PUT), as "METHOD pattern".
  const std::vector<std::pair<http::bhttp::verb, std::string>>& json_routes() const {
    return json_routes_;
  }
  // The id that a route pattern's segment `{name}` under `collection`
  // stands for (e.g. "agents" → the agent), or a well-formed id nothing has.
  std::string id_for(std::string_view collection) const;

 private:
  AppUnderFuzz();
  // Creates a resource through the pipeline and returns its id; throws when it is refused.
  std::string create(std::string_view target, std::string body);

  Logger logger_;
  std::string data_dir_;
  std::unique_ptr<App> app_;
  // The account's API key (also what @KEY@ becomes).
  std::string key_;
  // Each input token ("@AGENT@") and the value it becomes.
  std::vector<std::pair<std::string, std::string>> substitutions_;
  std::vector<std::pair<http::bhttp::verb, std::string>> json_routes_;
  // SEOAGENTS_FUZZ_TRACE set: each request and its answer go to stderr (to read a finding).
  bool trace_;
};

// Aborts (a finding) when a response breaks what every answer must keep: no 500 (a handler that
// failed on its input), and an error is the JSON envelope with a code and a message.
void check_answer(const http::Response& response);

}  // namespace seoagents::fuzz
