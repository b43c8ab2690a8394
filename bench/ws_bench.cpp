// Benchmark of the WebSocket progress channel with 1,000 and 10,000 subscribers of one job: the
// server's memory per idle connection, the fan-out throughput (frames delivered per second for a
// burst of events) and the delivery latency (publish → client read, p50/p99, for events sent
// one at a time and within the burst).
//
// The server is the real App in this process (two loops); the subscribers run in a child
// process forked before the server starts (one thread, one io_context), so the server's memory
// is measured alone. Events are published on the engine's bus directly, as the store's writer
// thread does after a commit, each carrying its publish time (steady clock, shared by both
// processes) in its message.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/jobs.hpp"
#include "tools/app.hpp"

namespace seoagents {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using WebSocket = websocket::stream<beast::tcp_stream>;
constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// Seqs of the events the benchmark publishes: above any stored one.
constexpr std::int64_t kFirstBenchSeq = 1'000'000;
// Events published one at a time (each waits for every delivery), then in one burst: about
// 50,000 and 200,000 frames, so that 10,000 subscribers take seconds, not minutes.
int paced_events(std::int64_t subscribers) {
  return static_cast<int>(std::clamp<std::int64_t>(50'000 / subscribers, 5, 20));
}
int burst_events(std::int64_t subscribers) {
  return static_cast<int>(std::clamp<std::int64_t>(200'000 / subscribers, 10, 100));
}
// Connections the subscriber process opens at once.
constexpr int kConnectBatch = 500;
constexpr std::string_view kHost = "127.0.0.1";
constexpr std::string_view kTarget = "/v1/ws";

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------------------------
// The subscriber process.

// The number after `key` in a frame ("seq":123 or "message":"123"), or -1.
std::int64_t number_after(std::string_view frame, std::string_view key) {
  std::size_t at = frame.find(key);
  if (at == std::string_view::npos) return -1;
  return std::strtoll(frame.data() + at + key.size(), nullptr, 10);
}

// Every subscriber of the process, and the commands of the benchmark process.
class Swarm {
 public:
  Swarm(asio::io_context& context, int control_fd)
      : context_(context), control_(context, control_fd) {}

  asio::awaitable<void> serve_commands();

 private:
  struct Start {
    std::uint16_t port = 0;
    std::string key;
    std::string job_id;
    int subscribers = 0;
  };

  asio::awaitable<void> launch();
  asio::awaitable<void> subscribe(tcp::endpoint server);
  void on_frame(std::string_view frame);
  void answer(const std::string& line) {
    (void)::write(control_.native_handle(), line.data(), line.size());
  }
  void report();

  asio::io_context& context_;
  asio::posix::stream_descriptor control_;
  Start start_;
  int connected_ = 0;
  int subscribed_ = 0;
  // Frames of benchmark events received, and the total the benchmark waits for (0: none).
  std::int64_t received_ = 0;
  std::int64_t awaited_ = 0;
  std::vector<std::int64_t> latencies_ns_;
};

void Swarm::on_frame(std::string_view frame) {
  if (frame.find(R"("type":"subscribed")") != std::string_view::npos) {
    if (++subscribed_ == start_.subscribers) answer("ready\n");
    return;
  }
  std::int64_t seq = number_after(frame, R"("seq":)");
  if (seq < kFirstBenchSeq) return;  // a replayed stored event
  latencies_ns_.push_back(steady_ns() - number_after(frame, R"("message":")"));
  if (++received_ == awaited_) answer("got\n");
}

void Swarm::report() {
  std::sort(latencies_ns_.begin(), latencies_ns_.end());
  auto at = [this](double q) {
    if (latencies_ns_.empty()) return std::int64_t{0};
    return latencies_ns_[static_cast<std::size_t>(q *
                                                  static_cast<double>(latencies_ns_.size() - 1))];
  };
  std::ostringstream line;
  line << "latency " << latencies_ns_.size() << " " << at(0.5) << " " << at(0.99) << " " << at(1.0)
       << "\n";
  answer(line.str());
  latencies_ns_.clear();
}

std::string subscribe_text(const std::string& job_id) {
  std::string text = R"({"action":"subscribe","job_id":")";
  text.append(job_id).append("\"}");
  return text;
}

void send_key(WebSocket& ws, const std::string& key) {
  ws.set_option(websocket::stream_base::decorator(
      [key](websocket::request_type& request) { request.set("X-API-Key", key); }));
}

asio::awaitable<void> Swarm::subscribe(tcp::endpoint server) {
  WebSocket ws(context_);
  auto [connect_ec] = co_await beast::get_lowest_layer(ws).async_connect(server, kAsTuple);
  ++connected_;
  if (connect_ec) co_return;
  send_key(ws, start_.key);
  auto [handshake_ec] = co_await ws.async_handshake(kHost, kTarget, kAsTuple);
  if (handshake_ec) co_return;
  std::string subscribe = subscribe_text(start_.job_id);
  auto [write_ec, written] = co_await ws.async_write(asio::buffer(subscribe), kAsTuple);
  if (write_ec) co_return;
  beast::flat_buffer buffer;
  for (;;) {
    buffer.clear();
    auto [read_ec, n] = co_await ws.async_read(buffer, kAsTuple);
    if (read_ec) co_return;
    on_frame(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
  }
}

asio::awaitable<void> Swarm::launch() {
  tcp::endpoint server(asio::ip::make_address_v4("127.0.0.1"), start_.port);
  asio::steady_timer pause(context_);
  for (int i = 0; i < start_.subscribers; ++i) {
    asio::co_spawn(context_, subscribe(server), asio::detached);
    while (i + 1 - connected_ >= kConnectBatch) {
      pause.expires_after(std::chrono::milliseconds(1));
      co_await pause.async_wait(kAsTuple);
    }
  }
}

asio::awaitable<void> Swarm::serve_commands() {
  asio::streambuf input;
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(control_, input, '\n', kAsTuple);
    if (ec) break;
    std::string line(static_cast<const char*>(input.data().data()), n);
    input.consume(n);
    std::istringstream words(line);
    std::string command;
    words >> command;
    if (command == "start") {
      words >> start_.port >> start_.key >> start_.job_id >> start_.subscribers;
      asio::co_spawn(context_, launch(), asio::detached);
    } else if (command == "await") {
      words >> awaited_;
      if (received_ >= awaited_) answer("got\n");
    } else if (command == "report") {
      report();
    } else {
      break;
    }
  }
  context_.stop();
}

// The child's whole life: serve the benchmark's commands until "quit", then leave at once (the
// kernel closes the connections).
[[noreturn]] void run_swarm(int control_fd) {
  asio::io_context context;
  Swarm swarm(context, control_fd);
  asio::co_spawn(context, swarm.serve_commands(), asio::detached);
  context.run();
  std::_Exit(0);
}

// ---------------------------------------------------------------------------------------------
// The benchmark process.

// The subscriber process, seen from the benchmark.
class SwarmProcess {
 public:
  SwarmProcess() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
    std::fflush(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      ::close(fds[0]);
      run_swarm(fds[1]);
    }
    ::close(fds[1]);
    fd_ = fds[0];
  }
  ~SwarmProcess() { quit(); }

  // The subscriber process leaves at once; the kernel resets its connections.
  void quit() {
    if (pid_ < 0) return;
    send("quit\n");
    ::close(fd_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  void send(const std::string& line) { (void)::write(fd_, line.data(), line.size()); }

  // The next line the subscriber process writes.
  std::string receive() {
    std::string line;
    char c = 0;
    while (::read(fd_, &c, 1) == 1 && c != '\n')
      line.push_back(c);
    return line;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

// Where the server's data lives and what the subscribers watch.
struct BenchSite {
  std::string data_dir;
  std::string account_id;
  std::string key;
  std::string job_id;
};

// An enterprise account whose rate limit never refuses an upgrade, its key, and one job.
BenchSite prepare_site() {
  char pattern[] = "/tmp/seoagents-ws-bench-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp");
  BenchSite site{pattern, {}, {}, {}};
  Logger quiet(LogLevel::error, [](std::string_view) {});
  storage::Store store({database_path(site.data_dir), storage::Durability::normal}, quiet);
  auto written = store.write_before_start<bool>([&site](storage::Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::enterprise);
    storage::set_account_plan(db, account.id, storage::Plan::enterprise,
                              storage::PlanLimits{1'000'000'000, 1'000});
    site.account_id = account.id;
    site.key = storage::create_api_key(db, account.id, "bench").raw_key;
    storage::Agent agent;
    agent.account_id = account.id;
    agent.name = "bench";
    agent.keywords = {"trade show booth cost"};
    agent = storage::insert_agent(db, agent);
    storage::Job job;
    job.account_id = account.id;
    job.agent_id = agent.id;
    job.job_type = "create";
    job.keyword = "trade show booth cost";
    site.job_id = storage::insert_job(db, job, storage::now_ms()).id;
    storage::append_job_event(db, site.job_id, "queued", 0, "Queued", storage::now_ms());
    return true;
  });
  if (!written) throw std::runtime_error(written.error().detail);
  return site;
}

// The job's pipeline waits until the server stops: it stays processing, watched.
jobs::Pipeline waiting_pipeline() {
  jobs::Pipeline pipeline;
  pipeline.steps.push_back(
      {"wait", 50, [](jobs::JobContext& context) -> asio::awaitable<jobs::StepOutcome> {
         while (!context.stopping())
           co_await context.sleep(std::chrono::milliseconds(50));
         co_return jobs::StepOutcome::ok("done");
       }});
  return pipeline;
}

Config bench_config(const std::string& data_dir) {
  Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.data_dir = data_dir;
  config.access_log = false;
  config.log_level = LogLevel::error;
  config.durability_full = false;
  config.max_connections = 50'000;
  config.jobs.workers = 1;
  config.content.writer = "builtin";
  return config;
}

void publish(App& app, const BenchSite& site, std::int64_t seq) {
  storage::JobEvent event;
  event.job_id = site.job_id;
  event.seq = seq;
  event.ts = storage::now_ms();
  event.step = "bench";
  event.percent = 50;
  event.message = std::to_string(steady_ns());
  app.jobs().events().publish(jobs::JobUpdate{site.account_id, "create", "processing", event});
}

// Resident memory and heap in use, in bytes.
struct MemorySample {
  double resident = 0;
  double heap = 0;
};

MemorySample sample_memory() {
  MemorySample sample;
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  sample.resident = static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  struct mallinfo2 info = ::mallinfo2();
  sample.heap = static_cast<double>(info.uordblks + info.hblkhd);
  return sample;
}

struct Latency {
  double count = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

Latency read_latency(SwarmProcess& swarm) {
  swarm.send("report\n");
  std::istringstream words(swarm.receive());
  std::string label;
  std::int64_t count = 0, p50 = 0, p99 = 0, most = 0;
  words >> label >> count >> p50 >> p99 >> most;
  return Latency{static_cast<double>(count), p50 / 1e3, p99 / 1e3, most / 1e3};
}

// CPU time this process (the server's loops and the publishing thread) has used, in seconds.
double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

void BM_WsFanOut(benchmark::State& state) {
  const auto subscribers = static_cast<std::int64_t>(state.range(0));
  raise_descriptor_limit();
  BenchSite site = prepare_site();
  SwarmProcess swarm;
  Logger logger(LogLevel::error, [](std::string_view) {});
  App app(bench_config(site.data_dir), logger);
  app.add_pipeline("create", waiting_pipeline());
  app.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  MemorySample before = sample_memory();
  std::ostringstream start;
  start << "start " << app.port() << " " << site.key << " " << site.job_id << " " << subscribers
        << "\n";
  swarm.send(start.str());
  if (swarm.receive() != "ready") state.SkipWithError("the subscribers did not all subscribe");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  MemorySample after = sample_memory();

  std::int64_t seq = kFirstBenchSeq;
  std::int64_t delivered = 0;
  for (int i = 0; i < paced_events(subscribers); ++i) {
    delivered += subscribers;
    swarm.send("await " + std::to_string(delivered) + "\n");
    publish(app, site, seq++);
    swarm.receive();
  }
  Latency paced = read_latency(swarm);
  double server_cpu = 0;
  for (auto _ : state) {
    delivered += subscribers * burst_events(subscribers);
    swarm.send("await " + std::to_string(delivered) + "\n");
    double cpu_before = process_cpu_seconds();
    auto began = std::chrono::steady_clock::now();
    for (int i = 0; i < burst_events(subscribers); ++i)
      publish(app, site, seq++);
    swarm.receive();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    server_cpu += process_cpu_seconds() - cpu_before;
  }
  Latency burst = read_latency(swarm);
  double per_connection = static_cast<double>(subscribers);
  state.counters["rss_per_conn_B"] = (after.resident - before.resident) / per_connection;
  state.counters["heap_per_conn_B"] = (after.heap - before.heap) / per_connection;
  state.counters["frames_per_s"] = benchmark::Counter(
      static_cast<double>(subscribers * burst_events(subscribers)), benchmark::Counter::kIsRate);
  state.counters["paced_p50_us"] = paced.p50_us;
  state.counters["paced_p99_us"] = paced.p99_us;
  state.counters["burst_p99_us"] = burst.p99_us;
  // Server CPU per frame delivered: steadier than the rate when the machine is shared.
  state.counters["server_cpu_us_per_frame"] =
      server_cpu * 1e6 /
      static_cast<double>(subscribers * burst_events(subscribers) * state.iterations());
  swarm.quit();
  app.stop();
  std::filesystem::remove_all(site.data_dir);
}
BENCHMARK(BM_WsFanOut)
    ->ArgName("subscribers")
    ->Arg(1'000)
    ->Arg(10'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace seoagents
