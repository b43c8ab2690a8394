// The WebSocket load (see ws_load.hpp).
#include "tools/loadgen/ws_load.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>

#include "core/clock.hpp"
#include "tools/loadgen/prepared_request.hpp"
#include "tools/loadgen/run_timeline.hpp"
#include "tools/loadgen/transport.hpp"

namespace seoagents::loadgen {
namespace {

namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using JobId = std::shared_ptr<const std::string>;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Submissions retried on a broken connection before the submitter gives up.
constexpr int kSubmitConnectAttempts = 5;
// A progress event stored this long before its watcher subscribed is a replay, not a delivery.
constexpr std::int64_t kReplaySlackMicros = 1000;

std::int64_t wall_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string subscribe_text(const std::string& job_id) {
  std::string text(R"({"action":"subscribe","job_id":")");
  text.append(job_id);
  text.append("\"}");
  return text;
}

bool is_final_type(std::string_view type) {
  return type == "completed" || type == "failed" || type == "cancelled";
}

// An open subscription of a watcher: the job, and when the subscribe was sent (µs since the
// epoch).
struct Subscription {
  JobId job;
  std::int64_t sent_at = 0;
};

// What watchers, the submitter and the main thread share.
struct WsShared {
  WsShared(const Options& options_in, Endpoint endpoint_in)
      : options(options_in), endpoint(std::move(endpoint_in)), control(std::nullopt) {}

  const Options& options;
  Endpoint endpoint;
  std::optional<Endpoint> submit_endpoint;
  std::optional<asio::ssl::context> tls;
  std::vector<std::pair<std::string, std::string>> headers;
  RunControl control;
  std::atomic<std::uint64_t> watchers_open{0};
  std::atomic<std::uint64_t> watchers_failed{0};
  // Final messages: expected (a job queued on an open watcher), received, and given up (the
  // watcher closed, or the server refused the subscription).
  std::atomic<std::uint64_t> finals_expected{0};
  std::atomic<std::uint64_t> finals_received{0};
  std::atomic<std::uint64_t> finals_lost{0};
  // Job hand-overs posted to watcher threads and not yet done.
  std::atomic<std::uint64_t> handovers_pending{0};
  std::atomic<bool> submit_done{false};
  // The submitters' timetable and shared state (touched only on the submit thread).
  Clock::time_point submit_start;
  std::chrono::duration<double> submit_interval{0};
  std::uint64_t next_job = 0;
  int submitters_running = 0;
  // {{seq}} in the submit body.
  std::atomic<std::uint64_t> submit_sequence{0};
  std::atomic<std::uint64_t> jobs_submitted{0};
  std::atomic<std::uint64_t> jobs_accepted{0};
};

// What the submitter hands jobs to (a Watcher, on its own thread).
class JobReceiver {
 public:
  virtual ~JobReceiver() = default;
  // On the watcher's thread.
  virtual void enqueue(const JobId& job) = 0;
};

// One WebSocket watcher: a reader coroutine (every message counted, latencies recorded) and a
// writer coroutine (subscribes to the queued jobs, at most kMaxOpenSubscriptions at a time).
// Owned by a Worker and touched only on that worker's thread (jobs arrive by post()).
template <class Next>
class Watcher final : public Cancellable, public JobReceiver {
 public:
  Watcher(WsShared& shared, ThreadStats& stats, asio::any_io_executor executor)
      : shared_(shared), stats_(stats), executor_(executor), wake_(executor) {
    if constexpr (std::is_same_v<Next, TlsStream>) {
      ws_.emplace(executor, *shared.tls);
    } else {
      ws_.emplace(executor);
    }
  }

  asio::awaitable<void> run() {
    // Awaited apart from the `if`: GCC 12 miscompiles `if (!co_await …)` here.
    bool upgraded = co_await upgrade();
    if (!upgraded) {
      shared_.watchers_failed.fetch_add(1);
      co_return;
    }
    open_ = true;
    shared_.watchers_open.fetch_add(1);
    if (!shared_.options.idle) {
      asio::co_spawn(executor_, write_subscriptions(), asio::detached);
    }
    co_await read_messages();
    open_ = false;
    shared_.finals_lost.fetch_add(pending_.size() + subscribed_at_.size());
    pending_.clear();
    subscribed_at_.clear();
    wake_.cancel();
  }

  void enqueue(const JobId& job) override {
    if (!open_) return;
    pending_.push_back(job);
    shared_.finals_expected.fetch_add(1, std::memory_order_relaxed);
    wake_.cancel();
  }

  void cancel() override {
    stopped_ = true;
    wake_.cancel();
    beast::get_lowest_layer(*ws_).close();
  }

 private:
  bool stopping() const { return stopped_ || shared_.control.stopping.load(); }

  void set_headers() {
    auto headers = shared_.headers;
    auto decorate = [headers](websocket::request_type& request) {
      for (const auto& [name, value] : headers)
        request.set(name, value);
    };
    ws_->set_option(websocket::stream_base::decorator(decorate));
  }

  asio::awaitable<bool> upgrade() {
    ErrorKind failed = co_await open_stream(ws_->next_layer(), shared_.endpoint);
    if (failed != ErrorKind::none) {
      stats_.ws.count_error(failed);
      co_return false;
    }
    set_headers();
    beast::get_lowest_layer(*ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = shared_.endpoint.timeout;
    ws_->set_option(timeouts);
    std::string host = shared_.options.url.host_header();
    websocket::response_type answer;
    auto [ec] = co_await ws_->async_handshake(answer, host, shared_.options.url.target, kUseTuple);
    if (ec) {
      stats_.ws.count_error(ErrorKind::handshake);
      if (answer.result_int() != 0) ++stats_.ws.refused_upgrades[answer.result_int()];
      co_return false;
    }
    co_return true;
  }

  // Moves the next queued job to the open subscriptions; the subscribe message to send.
  std::string open_next_subscription() {
    Subscription opened;
    opened.job = std::move(pending_.front());
    pending_.pop_front();
    opened.sent_at = wall_micros();
    std::string text = subscribe_text(*opened.job);
    subscribed_at_.push_back(std::move(opened));
    return text;
  }

  asio::awaitable<void> write_subscriptions() {
    while (open_ && !stopping()) {
      while (open_ && subscribed_at_.size() < kMaxOpenSubscriptions && !pending_.empty()) {
        std::string text = open_next_subscription();
        auto [ec, written] = co_await ws_->async_write(asio::buffer(text), kUseTuple);
        if (ec) co_return;
      }
      if (!open_ || stopping()) co_return;
      wake_.expires_at(Clock::time_point::max());
      co_await wake_.async_wait(kUseTuple);
    }
  }

  asio::awaitable<void> read_messages() {
    while (!stopping()) {
      buffer_.clear();
      auto [ec, size] = co_await ws_->async_read(buffer_, kUseTuple);
      if (ec) {
        record_end(ec);
        co_return;
      }
      std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      handle(text);
    }
  }

  void record_end(const boost::system::error_code& ec) {
    if (stopping()) return;
    if (ec == websocket::error::closed) {
      ++stats_.ws.closes[ws_->reason().code];
      return;
    }
    ++stats_.ws.closes[0];
    stats_.ws.count_error(classify(ec, ErrorKind::read));
  }

  void handle(std::string_view text) {
    WsTotals& ws = stats_.ws;
    ++ws.frames;
    ThreadStats::bump(stats_.live_frames);
    std::string_view type = find_string_member(text, "type").value_or("");
    std::string_view job = find_string_member(text, "job_id").value_or("");
    if (type == "progress") return progress(text, job);
    if (type == "subscribed") {
      ++ws.subscribed;
      return;
    }
    if (is_final_type(type)) {
      ++ws.final_messages;
      ++ws.final_types[std::string(type)];
      shared_.finals_received.fetch_add(1, std::memory_order_relaxed);
      return end_subscription(job);
    }
    if (type == "error") {
      std::string_view code = find_string_member(text, "code").value_or("?");
      ++ws.error_codes[std::string(code)];
      if (job.empty() || find_subscription(job) == subscribed_at_.end()) return;
      shared_.finals_lost.fetch_add(1, std::memory_order_relaxed);
      end_subscription(job);
    }
  }

  void progress(std::string_view text, std::string_view job) {
    WsTotals& ws = stats_.ws;
    ++ws.progress_frames;
    auto ts = find_string_member(text, "ts");
    auto stamped_ms = ts ? parse_rfc3339_ms(*ts) : std::nullopt;
    if (!stamped_ms) return;
    std::int64_t now = wall_micros();
    std::int64_t stamped = *stamped_ms * 1000;
    auto subscribed = find_subscription(job);
    if (subscribed != subscribed_at_.end() && stamped + kReplaySlackMicros < subscribed->sent_at) {
      ++ws.replayed_frames;
      return;
    }
    ws.latency.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now - stamped)));
  }

  std::vector<Subscription>::iterator find_subscription(std::string_view job) {
    return std::find_if(subscribed_at_.begin(), subscribed_at_.end(),
                        [job](const Subscription& open) { return *open.job == job; });
  }

  void end_subscription(std::string_view job) {
    auto found = find_subscription(job);
    if (found == subscribed_at_.end()) return;
    if (found != subscribed_at_.end() - 1) *found = std::move(subscribed_at_.back());
    subscribed_at_.pop_back();
    wake_.cancel();
  }

  WsShared& shared_;
  ThreadStats& stats_;
  asio::any_io_executor executor_;
  std::optional<websocket::stream<Next>> ws_;
  asio::steady_timer wake_;
  beast::flat_buffer buffer_;
  std::deque<JobId> pending_;
  // Open subscriptions, at most kMaxOpenSubscriptions: searched linearly, with no allocation per
  // frame.
  std::vector<Subscription> subscribed_at_;
  bool open_ = false;
  bool stopped_ = false;
};

// The receivers of each watcher thread, for handing jobs over.
using ReceiverTable = std::vector<std::vector<JobReceiver*>>;

// One keep-alive connection POSTing jobs; the submitters share the job numbers and the timetable
// in WsShared and all live on the submit thread. An accepted job is posted to every watcher
// thread.
template <class Stream>
class Submitter final : public Cancellable {
 public:
  Submitter(WsShared& shared, ThreadStats& stats, asio::any_io_executor executor,
            const PreparedRequest& request, std::vector<std::unique_ptr<Worker>>& watcher_workers,
            const ReceiverTable& receivers)
      : shared_(shared),
        stats_(stats),
        executor_(executor),
        timer_(executor),
        request_(request),
        watcher_workers_(watcher_workers),
        receivers_(receivers),
        random_(0x50b0ull + reinterpret_cast<std::uintptr_t>(this)),
        expansion_{shared.submit_sequence, random_} {}

  // Takes the next job number until all are taken; each is sent at its slot on the timetable
  // (start + k / rate), on this submitter's connection (opened again when it breaks).
  asio::awaitable<void> run() {
    int failures = 0;
    while (!stopping() && failures < kSubmitConnectAttempts) {
      std::uint64_t k = shared_.next_job++;
      if (k >= shared_.options.jobs) break;
      Clock::time_point intended =
          shared_.submit_start +
          std::chrono::duration_cast<Clock::duration>(shared_.submit_interval * k);
      bool sent = false;
      while (!sent && !stopping() && failures < kSubmitConnectAttempts) {
        bool connected = co_await ensure_connected();
        if (!connected) {
          ++failures;
          co_await pause(std::chrono::milliseconds(100 * failures));
          continue;
        }
        co_await pause_until(intended);
        if (stopping()) break;
        sent = co_await submit(intended);
        failures = sent ? 0 : failures + 1;
      }
    }
    if (--shared_.submitters_running == 0) shared_.submit_done.store(true);
  }

  void cancel() override {
    timer_.cancel();
    if (stream_) beast::get_lowest_layer(*stream_).close();
  }

 private:
  bool stopping() const { return shared_.control.stopping.load(); }

  asio::awaitable<void> pause(std::chrono::milliseconds wait) {
    co_await pause_until(Clock::now() + wait);
  }

  asio::awaitable<void> pause_until(Clock::time_point when) {
    if (stopping() || when <= Clock::now()) co_return;
    timer_.expires_at(when);
    co_await timer_.async_wait(kUseTuple);
  }

  asio::awaitable<bool> ensure_connected() {
    if (stream_) co_return true;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      stream_.emplace(executor_, *shared_.tls);
    } else {
      stream_.emplace(executor_);
    }
    ErrorKind failed = co_await open_stream(*stream_, *shared_.submit_endpoint);
    if (failed == ErrorKind::none) co_return true;
    stream_.reset();
    stats_.http.count_error(failed);
    co_return false;
  }

  // One job POST; false when the connection broke (the job is sent again).
  asio::awaitable<bool> submit(Clock::time_point intended) {
    std::string_view bytes = request_.render(expansion_, {}, request_text_, body_scratch_);
    auto& lowest = beast::get_lowest_layer(*stream_);
    lowest.expires_after(shared_.submit_endpoint->timeout);
    auto [write_error, written] =
        co_await asio::async_write(*stream_, asio::buffer(bytes), kUseTuple);
    if (write_error) co_return drop(classify(write_error, ErrorKind::write));
    ResponseReader reader(&response_body_);
    auto [read_error, received] = co_await bhttp::async_read(*stream_, buffer_, reader, kUseTuple);
    if (read_error) co_return drop(classify(read_error, ErrorKind::read));
    lowest.expires_never();
    record(reader.status(), received, intended);
    if (!reader.keep_alive()) stream_.reset();
    co_return true;
  }

  bool drop(ErrorKind kind) {
    stream_.reset();
    buffer_.clear();
    stats_.http.count_error(kind);
    return false;
  }

  void record(int status, std::size_t bytes, Clock::time_point intended) {
    HttpTotals& totals = stats_.http;
    totals.latency.record(latency_micros(intended, Clock::now()));
    ++totals.status[status >= 100 && status < 600 ? status : 0];
    ++totals.responses;
    totals.bytes += bytes;
    ThreadStats::bump(stats_.live_responses);
    shared_.jobs_submitted.fetch_add(1);
    auto job = status / 100 == 2 ? find_string_member(response_body_, "job_id") : std::nullopt;
    if (!job || job->empty()) return;
    shared_.jobs_accepted.fetch_add(1);
    hand_over(std::make_shared<const std::string>(*job));
  }

  void hand_over(const JobId& job) {
    for (std::size_t i = 0; i < watcher_workers_.size(); ++i) {
      const std::vector<JobReceiver*>* receivers = &receivers_[i];
      shared_.handovers_pending.fetch_add(1);
      WsShared* shared = &shared_;
      asio::post(watcher_workers_[i]->context, [receivers, job, shared] {
        for (JobReceiver* receiver : *receivers)
          receiver->enqueue(job);
        shared->handovers_pending.fetch_sub(1);
      });
    }
  }

  WsShared& shared_;
  ThreadStats& stats_;
  asio::any_io_executor executor_;
  asio::steady_timer timer_;
  const PreparedRequest& request_;
  std::vector<std::unique_ptr<Worker>>& watcher_workers_;
  const ReceiverTable& receivers_;
  std::optional<Stream> stream_;
  beast::flat_buffer buffer_;
  std::string request_text_;
  std::string body_scratch_;
  std::string response_body_;
  FastRandom random_;
  ExpansionContext expansion_;
};

template <class Next>
ReceiverTable spawn_watchers(WsShared& shared, int count,
                             std::vector<std::unique_ptr<Worker>>& workers) {
  ReceiverTable receivers(workers.size());
  for (int i = 0; i < count; ++i) {
    std::size_t slot = static_cast<std::size_t>(i) % workers.size();
    Worker& worker = *workers[slot];
    auto watcher =
        std::make_unique<Watcher<Next>>(shared, worker.stats, worker.context.get_executor());
    asio::co_spawn(worker.context, watcher->run(), asio::detached);
    receivers[slot].push_back(watcher.get());
    worker.connections.push_back(std::move(watcher));
  }
  return receivers;
}

template <class Stream>
void spawn_submitters(WsShared& shared, Worker& worker, const PreparedRequest& request,
                      std::vector<std::unique_ptr<Worker>>& watcher_workers,
                      const ReceiverTable& receivers) {
  std::uint64_t count =
      std::min<std::uint64_t>(shared.options.submit_connections, shared.options.jobs);
  shared.submit_start = Clock::now();
  shared.submit_interval = std::chrono::duration<double>(1.0 / shared.options.submit_rate);
  shared.submitters_running = static_cast<int>(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    auto submitter = std::make_unique<Submitter<Stream>>(
        shared, worker.stats, worker.context.get_executor(), request, watcher_workers, receivers);
    asio::co_spawn(worker.context, submitter->run(), asio::detached);
    worker.connections.push_back(std::move(submitter));
  }
}

PreparedRequest submit_request(const Options& options) {
  std::vector<std::string> headers = options.headers;
  bool has_type = false;
  for (const std::string& line : headers) {
    auto header = split_header(line);
    if (header && header->first.size() == 12 &&
        ::strncasecmp(header->first.c_str(), "Content-Type", 12) == 0) {
      has_type = true;
    }
  }
  if (!has_type) headers.emplace_back("Content-Type: application/json");
  Scenario scenario = single_request_scenario("POST", options.submit_url->target, headers,
                                              options.submit_body, options.variables);
  return PreparedRequest(scenario.kinds.front(), options.submit_url->host_header());
}

int watcher_count(const Options& options) {
  if (options.idle && !options.watchers_given && options.connections_given) {
    return options.connections;
  }
  return options.watchers;
}

Clock::duration seconds(double value) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
}

// The main thread's part of a WebSocket run.
class WsTimeline {
 public:
  WsTimeline(WsShared& shared, std::vector<std::unique_ptr<Worker>>& workers, const RunHooks& hooks)
      : shared_(shared), workers_(workers), hooks_(hooks) {}

  // Waits until every watcher is open or has failed (bounded by the duration); false when the
  // duration ran out first.
  bool wait_for_watchers(std::uint64_t count, Clock::time_point deadline) {
    while (shared_.watchers_open.load() + shared_.watchers_failed.load() < count) {
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  // Until every expected final message arrived (or was given up) or `deadline`.
  bool wait_for_finals(Clock::time_point deadline, Clock::time_point started) {
    ProgressClock clock(started);
    for (;;) {
      if (finished()) return true;
      Clock::time_point now = Clock::now();
      if (now >= deadline) return false;
      report_progress(clock, now);
      std::this_thread::sleep_for(5ms);
    }
  }

  void hold_until(Clock::time_point deadline) {
    while (Clock::now() < deadline)
      std::this_thread::sleep_for(10ms);
  }

 private:
  bool finished() const {
    return shared_.submit_done.load() && shared_.handovers_pending.load() == 0 &&
           shared_.finals_received.load() + shared_.finals_lost.load() >=
               shared_.finals_expected.load();
  }

  void report_progress(ProgressClock& clock, Clock::time_point now) {
    double elapsed = 0;
    double since_last = 0;
    if (!hooks_.progress || !clock.due(now, elapsed, since_last)) return;
    std::uint64_t frames = live_total(workers_, &ThreadStats::live_frames);
    char line[200];
    std::snprintf(line, sizeof line,
                  "%5.0fs  %10.0f frames/s  %llu jobs accepted  %llu of %llu final messages",
                  elapsed, static_cast<double>(frames - last_frames_) / since_last,
                  static_cast<unsigned long long>(shared_.jobs_accepted.load()),
                  static_cast<unsigned long long>(shared_.finals_received.load()),
                  static_cast<unsigned long long>(shared_.finals_expected.load()));
    last_frames_ = frames;
    hooks_.progress(line);
  }

  WsShared& shared_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  const RunHooks& hooks_;
  std::uint64_t last_frames_ = 0;
};

RunResult merge_results(const WsShared& shared, const std::vector<std::unique_ptr<Worker>>& workers,
                        const Worker* submit_worker) {
  RunResult result;
  for (const auto& worker : workers)
    result.ws.merge(worker->stats.ws);
  if (submit_worker != nullptr) result.http.merge(submit_worker->stats.http);
  result.threads = static_cast<int>(workers.size());
  result.watchers_open = shared.watchers_open.load();
  result.connected = result.watchers_open;
  result.jobs_submitted = shared.jobs_submitted.load();
  result.jobs_accepted = shared.jobs_accepted.load();
  result.finals_expected = shared.finals_expected.load();
  result.open = result.watchers_open;
  result.nothing_connected = result.watchers_open == 0;
  return result;
}

// The endpoint of the job POSTs, the TLS context, and the -H headers sent with each upgrade.
void set_up_connections(WsShared& shared, Clock::duration timeout) {
  const Options& options = shared.options;
  if (options.submit_url) shared.submit_endpoint = resolve_endpoint(*options.submit_url, timeout);
  bool any_tls = shared.endpoint.tls || (shared.submit_endpoint && shared.submit_endpoint->tls);
  if (any_tls) shared.tls.emplace(make_tls_context(!options.insecure));
  for (const std::string& line : options.headers) {
    auto header = split_header(line);
    if (!header) throw std::runtime_error("--header: expected 'Name: value', got '" + line + "'");
    shared.headers.push_back(*header);
  }
}

// The submit thread, running the submitters; returned so it can be stopped.
std::vector<std::unique_ptr<Worker>> start_submitting(
    WsShared& shared, const PreparedRequest& submit,
    std::vector<std::unique_ptr<Worker>>& watcher_workers, const ReceiverTable& receivers) {
  auto submit_workers = make_workers(1);
  if (shared.submit_endpoint->tls) {
    spawn_submitters<TlsStream>(shared, *submit_workers[0], submit, watcher_workers, receivers);
  } else {
    spawn_submitters<PlainStream>(shared, *submit_workers[0], submit, watcher_workers, receivers);
  }
  start_workers(submit_workers);
  return submit_workers;
}

}  // namespace

RunResult run_ws_load(const Options& options, const Scenario&, const RunHooks& hooks) {
  auto timeout = seconds(options.timeout_s);
  WsShared shared(options, resolve_endpoint(options.url, timeout));
  set_up_connections(shared, timeout);
  std::optional<PreparedRequest> submit;
  if (!options.idle) submit.emplace(submit_request(options));

  int count = watcher_count(options);
  auto workers = make_workers(std::min(options.threads, count));
  ReceiverTable receivers = shared.endpoint.tls
                                ? spawn_watchers<TlsStream>(shared, count, workers)
                                : spawn_watchers<PlainStream>(shared, count, workers);
  Clock::time_point started = Clock::now();
  start_workers(workers);
  WsTimeline timeline(shared, workers, hooks);
  bool all_tried = timeline.wait_for_watchers(static_cast<std::uint64_t>(count),
                                              started + seconds(options.duration_s));
  std::vector<std::unique_ptr<Worker>> submit_workers;
  bool complete = false;
  Clock::time_point measured_from = Clock::now();
  Clock::time_point deadline = measured_from + seconds(options.duration_s);
  if (options.idle) {
    if (hooks.ready) hooks.ready(shared.watchers_open.load());
    if (shared.watchers_open.load() > 0) timeline.hold_until(deadline);
  } else if (all_tried && shared.watchers_open.load() > 0) {
    submit_workers = start_submitting(shared, *submit, workers, receivers);
    complete = timeline.wait_for_finals(deadline, measured_from);
  }
  Clock::time_point measured_to = Clock::now();
  shared.control.stopping.store(true);
  if (!submit_workers.empty()) stop_workers(submit_workers);
  stop_workers(workers);
  RunResult result =
      merge_results(shared, workers, submit_workers.empty() ? nullptr : submit_workers[0].get());
  result.mode = options.idle ? "ws-idle" : "ws";
  result.ws_complete = complete;
  result.watchers = count;
  result.connections = count;
  result.duration_s = std::chrono::duration<double>(measured_to - measured_from).count();
  result.ws_duration_s = result.duration_s;
  return result;
}

}  // namespace seoagents::loadgen
