// The App the HTTP fuzz targets talk to (see app_under_fuzz.hpp).
#include "fuzz/app_under_fuzz.hpp"

#include <stdlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <functional>
#include <iostream>
#include <stdexcept>

#include "http/wire.hpp"
#include "storage/accounts.hpp"
#include "tools/app.hpp"

namespace seoagents::fuzz {
namespace {

std::string make_data_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "seoagents-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

Config fuzz_config(const std::string& data_dir) {
  Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.data_dir = data_dir;
  config.durability_full = false;
  config.allow_private_targets = true;
  // No job runs: the jobs the inputs submit stay pending. A job running in the background could
  // still be using a static table when libFuzzer ends the process with exit(), which destroys
  // them; the pipelines are not this harness's subject (the HTTP surface is).
  config.jobs.workers = 0;
  config.access_log = false;
  config.log_level = LogLevel::error;
  return config;
}

// Runs `work` on `loop` and waits for it.
template <class T>
T run_on(asio::io_context& loop, asio::awaitable<T> work) {
  return asio::co_spawn(loop, std::move(work), asio::use_future).get();
}

// Puts the account on the enterprise plan with limits no fuzzing run reaches.
asio::awaitable<bool> lift_limits(storage::Store& store, std::string account_id) {
  std::function<bool(storage::Connection&)> work = [account_id](storage::Connection& db) {
    return storage::set_account_plan(db, account_id, storage::Plan::enterprise,
                                     storage::PlanLimits{1'000'000, 100'000});
  };
  auto done = co_await store.write<bool>(std::move(work));
  co_return done&&* done;
}

http::Request json_request(http::bhttp::verb method, std::string_view target, std::string body,
                           std::string_view key) {
  http::Request request(method, target, 11);
  request.set(http::bhttp::field::host, "fuzz.test");
  request.set("X-API-Key", key);
  request.set(http::bhttp::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

bool takes_json_body(http::bhttp::verb method) {
  return method == http::bhttp::verb::post || method == http::bhttp::verb::put;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

AppUnderFuzz& AppUnderFuzz::instance() {
  static AppUnderFuzz app;
  return app;
}

AppUnderFuzz::AppUnderFuzz()
    : logger_(LogLevel::error),
      data_dir_(make_data_directory()),
      trace_(std::getenv("SEOAGENTS_FUZZ_TRACE") != nullptr) {
  app_ = std::make_unique<App>(fuzz_config(data_dir_), logger_);
  app_->start();
  key_ = *app_->first_api_key();
  auto account = storage::find_account_by_name(app_->store().reader(), "default");
  if (!run_on(app_->loop(0), lift_limits(app_->store(), account->id))) {
    throw std::runtime_error("set-plan failed");
  }
  substitutions_.emplace_back("@KEY@", key_);
  std::string agent =
      create("/v1/dashboard/agents", R"({"name":"Fuzz agent","keywords":["trade show booth"]})");
  substitutions_.emplace_back("@AGENT@", agent);
  substitutions_.emplace_back(
      "@SITE@", create("/v1/dashboard/sites",
                       R"({"url":"http://127.0.0.1:9","name":"Fuzz","username":"editor",)"
                       R"("application_password":"abcd efgh ijkl mnop qrst uvwx"})"));
  substitutions_.emplace_back(
      "@WEBHOOK@", create("/v1/dashboard/webhooks",
                          R"({"url":"http://127.0.0.1:9/hook","events":["job.completed"]})"));
  substitutions_.emplace_back(
      "@JOB@",
      create("/v1/dashboard/jobs", R"({"agent_id":")" + agent + R"(","job_type":"create"})"));
  substitutions_.emplace_back("@KEY_ID@", create("/v1/dashboard/api-keys", R"({"name":"fuzz"})"));
  for (const auto& route : app_->router().routes()) {
    if (takes_json_body(route->method)) json_routes_.emplace_back(route->method, route->pattern);
  }
}

AppUnderFuzz::~AppUnderFuzz() {
  app_->stop();
  app_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::string AppUnderFuzz::create(std::string_view target, std::string body) {
  http::Request request = json_request(http::bhttp::verb::post, target, std::move(body), key_);
  http::Response response = answer(request);
  if (response.result_int() / 100 != 2) {
    throw std::runtime_error(std::string(target) + " answered " + response.body());
  }
  // Jobs are named by "job_id", everything else by "id".
  const boost::json::object created = boost::json::parse(response.body()).as_object();
  const boost::json::value* id = created.if_contains("id");
  if (id == nullptr) id = &created.at("job_id");
  return std::string(id->as_string());
}

http::Response AppUnderFuzz::answer(http::Request& request, unsigned loop) {
  http::ConnectionInfo connection{"192.0.2.1", false};
  http::Response response;
  if (auto problem = http::check_framing(request)) {
    response = app_->pipeline().reject(*problem, &request, connection);
  } else {
    response = run_on(app_->loop(loop), app_->pipeline().handle(request, connection)).complete();
  }
  if (trace_) {
    std::cerr << request.method_string() << " " << request.target() << " → "
              << response.result_int() << " " << response.body().substr(0, 200) << "\n";
  }
  return response;
}

std::string AppUnderFuzz::substitute(std::string_view text) const {
  std::string result(text);
  if (result.find('@') == std::string::npos) return result;
  for (const auto& [token, value] : substitutions_)
    replace_all(result, token, value);
  return result;
}

std::string AppUnderFuzz::id_for(std::string_view collection) const {
  static const std::pair<std::string_view, std::string_view> kTokenOf[] = {
      {"agents", "@AGENT@"}, {"sites", "@SITE@"},      {"webhooks", "@WEBHOOK@"},
      {"jobs", "@JOB@"},     {"api-keys", "@KEY_ID@"},
  };
  for (const auto& [name, token] : kTokenOf) {
    if (name == collection) return substitute(token);
  }
  return "dlv-00000000";
}

void check_answer(const http::Response& response) {
  if (response.result() == http::bhttp::status::internal_server_error) __builtin_trap();
  if (response.result_int() < 400) return;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body(), ec);
  if (ec || !body.is_object()) __builtin_trap();
  const boost::json::value* code = body.as_object().if_contains("code");
  const boost::json::value* message = body.as_object().if_contains("message");
  if (code == nullptr || !code->is_string() || message == nullptr || !message->is_string()) {
    __builtin_trap();
  }
}

}  // namespace seoagents::fuzz
