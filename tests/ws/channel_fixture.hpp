// What the WebSocket channel tests share: a server whose `create` jobs run the burst pipeline
// (durability normal, so events come quickly), an agent to submit jobs for, WebSocket clients
// that authenticate with the first account's key, and a reader that collects a job's messages
// until its final one.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/burst_pipeline.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/ws_client.hpp"

namespace seoagents::testing {

inline constexpr std::string_view kJobs = "/v1/dashboard/jobs";

inline std::string subscribe_text(std::string_view job_id, std::string_view since = {}) {
  std::string text = join(R"({"action":"subscribe","job_id":")", job_id, "\"");
  if (!since.empty()) text.append(join(R"(,"since":")", since, "\""));
  text.append("}");
  return text;
}

inline std::string unsubscribe_text(std::string_view job_id) {
  return join(R"({"action":"unsubscribe","job_id":")", job_id, "\"}");
}

// What a client received for one job, from `subscribed` to the final message.
struct Watched {
  json::object subscribed;
  // The seq of every progress message, in order of arrival.
  std::vector<std::int64_t> seqs;
  // completed, failed or cancelled; empty when none arrived.
  std::string final_type;
  json::object final;
  // Messages of other types (errors, pongs) seen on the way.
  std::vector<json::object> others;
};

// Reads until `job_id`'s final message (or the connection ends).
template <class Client>
Watched watch_until_final(Client& client, std::string_view job_id) {
  Watched watched;
  for (;;) {
    auto text = client.read();
    if (!text) return watched;
    json::object message = json::parse(*text).as_object();
    std::string type = text_of(message, "type");
    if (text_of(message, "job_id") != job_id) {
      watched.others.push_back(message);
      continue;
    }
    if (type == "subscribed") {
      watched.subscribed = message;
    } else if (type == "progress") {
      watched.seqs.push_back(message.at("seq").as_int64());
    } else if (type == "completed" || type == "failed" || type == "cancelled") {
      watched.final_type = type;
      watched.final = message;
      return watched;
    } else {
      watched.others.push_back(message);
    }
  }
}

// first, first+1, …, last.
inline std::vector<std::int64_t> seq_range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> seqs;
  for (std::int64_t seq = first; seq <= last; ++seq)
    seqs.push_back(seq);
  return seqs;
}

inline Config channel_config() {
  Config config = test_config();
  config.access_log = false;
  config.durability_full = false;
  config.jobs.workers = 4;
  return config;
}

class ChannelTest : public ::testing::Test {
 protected:
  using ConfigEdit = std::function<void(Config&)>;
  using OptionsEdit = std::function<void(ws::ChannelOptions&)>;

  // Starts the server (tests that need other settings call it themselves first).
  void start_server(const ConfigEdit& edit_config = {}, const OptionsEdit& edit_options = {}) {
    Config config = channel_config();
    if (edit_config) edit_config(config);
    server_ = std::make_unique<TestServer>(std::move(config), TestServer::AppSetup([&](App& app) {
                                             app.add_pipeline("create", burst_pipeline(control_));
                                             if (edit_options)
                                               edit_options(app.websocket_options());
                                           }));
    api_.emplace(server_->port(), *server_->app().first_api_key());
    agent_id_ = create_agent(*api_);
  }

  void SetUp() override {
    if (!server_) start_server();
  }

  static std::string create_agent(const Api& api) {
    auto agent = api.create("/v1/dashboard/agents",
                            R"({"name":"Booth Agent","keywords":["trade show booth cost"]})");
    return text_of(agent, "id");
  }

  std::string submit(const Api& api, const std::string& agent_id) {
    auto accepted = expect_json(
        api.post(kJobs, join(R"({"agent_id":")", agent_id, R"(","job_type":"create"})")), 202);
    return text_of(accepted, "job_id");
  }
  std::string submit() { return submit(*api_, agent_id_); }

  json::object job(const std::string& id) {
    return expect_json(api_->get(join(kJobs, "/", id)), 200);
  }

  bool reaches(const std::string& id, std::string_view status) {
    return eventually([&] { return text_of(job(id), "status") == status; });
  }

  // The job's stored events (GET /progress).
  json::array stored_events(const std::string& id) { return stored_events(*api_, id); }
  static json::array stored_events(const Api& api, const std::string& id) {
    return expect_json(api.get(join(kJobs, "/", id, "/progress")), 200).at("events").as_array();
  }

  HeaderList key_header() const { return {{"X-API-Key", api_->key()}}; }

  // A client upgraded at /v1/ws with the first account's key.
  std::unique_ptr<WsClient> connect(const HeaderList& headers = {}) {
    auto client = std::make_unique<WsClient>(server_->port());
    auto ec = client->upgrade("/v1/ws", headers.empty() ? key_header() : headers);
    EXPECT_FALSE(ec) << ec.message() << " " << client->handshake().result_int();
    return client;
  }

  ws::ChannelStats stats() { return server_->app().websocket_channel().stats(); }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  std::shared_ptr<BurstControl> control_ = std::make_shared<BurstControl>();
  std::unique_ptr<TestServer> server_;
  std::optional<Api> api_;
  std::string agent_id_;
};

}  // namespace seoagents::testing
