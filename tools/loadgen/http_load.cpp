// The HTTP load engine (see http_load.hpp).
#include "tools/loadgen/http_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <memory>
#include <optional>
#include <thread>

#include "tools/loadgen/prepared_request.hpp"
#include "tools/loadgen/run_timeline.hpp"
#include "tools/loadgen/schedule.hpp"
#include "tools/loadgen/transport.hpp"

namespace seoagents::loadgen {
namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Connections an idle run tries to open before it gives one up.
constexpr int kIdleConnectAttempts = 3;

// What every connection of the run shares: read-only setup and the run's few atomics.
struct SharedRun {
  SharedRun(const Options& options_in, const Scenario& scenario, Endpoint endpoint_in)
      : options(options_in),
        endpoint(std::move(endpoint_in)),
        kinds(prepare(scenario, options_in.url.host_header())),
        picker(kinds),
        control(options_in.requests) {}

  static std::vector<PreparedRequest> prepare(const Scenario& scenario, const std::string& host) {
    std::vector<PreparedRequest> kinds;
    for (const RequestKind& kind : scenario.kinds)
      kinds.emplace_back(kind, host);
    return kinds;
  }

  const Options& options;
  Endpoint endpoint;
  std::optional<asio::ssl::context> tls;
  std::vector<PreparedRequest> kinds;
  KindPicker picker;
  std::optional<OpenLoopSchedule> schedule;
  std::atomic<std::uint64_t> sequence{0};
  RunControl control;
};

// Where a connection is in its cursor walk of one request kind.
struct CursorWalk {
  std::string cursor;
  std::uint64_t page = 1;
};

// One keep-alive connection (plain or TLS Stream) and its request loop. Owned by a Worker and
// touched only on that worker's thread; the run's shared state is reached through SharedRun.
template <class Stream>
class HttpConnection final : public Cancellable {
 public:
  HttpConnection(SharedRun& run, ThreadStats& stats, int index, asio::any_io_executor executor)
      : run_(run),
        stats_(stats),
        index_(index),
        executor_(std::move(executor)),
        timer_(executor_),
        watchdog_(executor_),
        random_(0x5eed0000ull + static_cast<std::uint64_t>(index)),
        expansion_{run.sequence, random_},
        walks_(run.kinds.size()) {}

  // Sends requests until the run stops.
  asio::awaitable<void> load() {
    auto watchdog = watch_requests();
    asio::co_spawn(executor_, std::move(watchdog), asio::detached);
    int failures = 0;
    while (!stopping()) {
      bool connected = co_await ensure_connected();  // not inside the `if`: GCC 12
      if (!connected) {
        co_await pause(backoff(++failures));
        continue;
      }
      failures = 0;
      bool measured = run_.control.recording.load(std::memory_order_relaxed);
      bool ticket = measured && run_.control.limit.has_value();
      if (ticket && !run_.control.claim_ticket()) {
        co_await pause(std::chrono::milliseconds(5));
        continue;
      }
      Clock::time_point start = co_await wait_for_turn();
      if (stopping()) break;
      bool answered = co_await exchange(run_.picker.pick(random_), start, measured);
      if (!answered && ticket) run_.control.return_ticket();
    }
  }

  // Idle mode: connects, sends one request, then holds the connection until the run stops.
  asio::awaitable<void> hold() {
    auto watchdog = watch_requests();
    asio::co_spawn(executor_, std::move(watchdog), asio::detached);
    bool opened = false;
    for (int attempt = 0; attempt < kIdleConnectAttempts && !stopping() && !opened; ++attempt) {
      bool connected = co_await ensure_connected();
      if (connected) opened = co_await exchange(0, Clock::now(), true);
      if (!opened) co_await pause(backoff(attempt + 1));
    }
    if (!opened) {
      run_.control.idle_failed.fetch_add(1);
      co_return;
    }
    run_.control.open_now.fetch_add(1);
    if (stopping()) co_return;
    timer_.expires_at(Clock::time_point::max());
    co_await timer_.async_wait(kUseTuple);
  }

  // On the connection's thread, once the run stops: ends whatever it waits for.
  void cancel() override {
    timer_.cancel();
    watchdog_.cancel();
    if (stream_) beast::get_lowest_layer(*stream_).close();
  }

 private:
  bool stopping() const { return run_.control.stopping.load(std::memory_order_relaxed); }

  static std::chrono::milliseconds backoff(int failures) {
    return std::chrono::milliseconds(std::min(1000, 10 << std::min(failures, 7)));
  }

  // Closes the connection when its request in flight is older than the timeout; looks a few
  // times per timeout (so a timeout is noticed up to a quarter of it late).
  asio::awaitable<void> watch_requests() {
    Clock::duration timeout = run_.endpoint.timeout;
    Clock::duration period = std::max<Clock::duration>(timeout / 4, std::chrono::milliseconds(1));
    while (!stopping()) {
      watchdog_.expires_after(period);
      co_await watchdog_.async_wait(kUseTuple);
      bool overdue = in_flight_since_ != Clock::time_point::max() &&
                     Clock::now() - in_flight_since_ >= timeout;
      if (overdue && stream_ && !stopping()) {
        timed_out_ = true;
        beast::get_lowest_layer(*stream_).close();
      }
    }
  }

  asio::awaitable<void> pause(std::chrono::milliseconds wait) {
    if (stopping()) co_return;
    timer_.expires_after(wait);
    co_await timer_.async_wait(kUseTuple);
  }

  // Closed loop: now. Open loop: waits for the request's slot on the timetable and returns it.
  asio::awaitable<Clock::time_point> wait_for_turn() {
    if (!run_.schedule) co_return Clock::now();
    Clock::time_point intended = run_.schedule->intended(index_, sent_++);
    if (intended > Clock::now() && !stopping()) {
      timer_.expires_at(intended);
      co_await timer_.async_wait(kUseTuple);
    }
    co_return intended;
  }

  void make_stream() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      stream_.emplace(executor_, *run_.tls);
    } else {
      stream_.emplace(executor_);
    }
  }

  asio::awaitable<bool> ensure_connected() {
    if (stream_) co_return true;
    make_stream();
    ErrorKind failed = co_await open_stream(*stream_, run_.endpoint);
    if (failed != ErrorKind::none) {
      stream_.reset();
      run_.control.connect_failures.fetch_add(1, std::memory_order_relaxed);
      count_error(failed, true);
      co_return false;
    }
    if (!ever_connected_) {
      ever_connected_ = true;
      run_.control.ever_connected.fetch_add(1, std::memory_order_relaxed);
    }
    co_return true;
  }

  void count_error(ErrorKind kind, bool measured) {
    if (!measured || stopping()) return;
    stats_.http.count_error(kind);
    ThreadStats::bump(stats_.live_errors);
  }

  // One request and its answer; false (the connection dropped) when either fails.
  asio::awaitable<bool> exchange(std::size_t kind_index, Clock::time_point start, bool measured) {
    const PreparedRequest& kind = run_.kinds[kind_index];
    CursorWalk& walk = walks_[kind_index];
    std::string_view bytes = kind.render(expansion_, walk.cursor, request_text_, body_scratch_);
    in_flight_since_ = Clock::now();
    timed_out_ = false;
    auto [write_error, written] =
        co_await asio::async_write(*stream_, asio::buffer(bytes), kUseTuple);
    if (write_error) co_return drop(failure(write_error, ErrorKind::write), measured);
    ResponseReader reader(kind.follows_cursor() ? &response_body_ : nullptr);
    reader.skip(kind.is_head());
    auto [read_error, received] = co_await bhttp::async_read(*stream_, buffer_, reader, kUseTuple);
    in_flight_since_ = Clock::time_point::max();
    if (read_error) co_return drop(failure(read_error, ErrorKind::read), measured);
    if (measured && !stopping()) {
      record(reader.status(), received, start);
    } else {
      ThreadStats::bump(stats_.live_responses);  // the progress line shows the warmup too
    }
    if (kind.follows_cursor()) advance(walk, kind, reader.status());
    if (!reader.keep_alive()) {
      stream_.reset();
      ++stats_.http.reconnects;
    }
    co_return true;
  }

  ErrorKind failure(const boost::system::error_code& ec, ErrorKind operation) const {
    return timed_out_ ? ErrorKind::timeout : classify(ec, operation);
  }

  bool drop(ErrorKind kind, bool measured) {
    in_flight_since_ = Clock::time_point::max();
    stream_.reset();
    buffer_.clear();
    count_error(kind, measured);
    return false;
  }

  void record(int status, std::size_t bytes, Clock::time_point start) {
    Clock::time_point now = Clock::now();
    HttpTotals& totals = stats_.http;
    totals.latency.record(latency_micros(start, now));
    ++totals.status[status >= 100 && status < 600 ? status : 0];
    ++totals.responses;
    totals.bytes += bytes;
    ThreadStats::bump(stats_.live_responses);
    run_.control.count_response(now);
  }

  void advance(CursorWalk& walk, const PreparedRequest& kind, int status) {
    auto next = status == 200 ? find_next_cursor(response_body_) : std::nullopt;
    bool last_page = kind.pages() != 0 && walk.page >= kind.pages();
    if (!next || last_page) {
      walk.cursor.clear();
      walk.page = 1;
      return;
    }
    walk.cursor.assign(*next);
    ++walk.page;
  }

  SharedRun& run_;
  ThreadStats& stats_;
  int index_;
  asio::any_io_executor executor_;
  asio::steady_timer timer_;
  // Ends a request that runs past --timeout (one timer per connection, not one per request).
  asio::steady_timer watchdog_;
  // When the request in flight was written (time_point::max() when none is).
  Clock::time_point in_flight_since_ = Clock::time_point::max();
  bool timed_out_ = false;
  std::optional<Stream> stream_;
  beast::flat_buffer buffer_;
  std::string request_text_;
  std::string body_scratch_;
  std::string response_body_;
  FastRandom random_;
  ExpansionContext expansion_;
  std::vector<CursorWalk> walks_;
  std::uint64_t sent_ = 0;
  bool ever_connected_ = false;
};

template <class Stream>
void spawn_connections(SharedRun& run, std::vector<std::unique_ptr<Worker>>& workers) {
  for (int i = 0; i < run.options.connections; ++i) {
    Worker& worker = *workers[static_cast<std::size_t>(i) % workers.size()];
    auto connection = std::make_unique<HttpConnection<Stream>>(run, worker.stats, i,
                                                               worker.context.get_executor());
    auto task = run.options.idle ? connection->hold() : connection->load();
    asio::co_spawn(worker.context, std::move(task), asio::detached);
    worker.connections.push_back(std::move(connection));
  }
}

}  // namespace

RunResult run_http_load(const Options& options, const Scenario& scenario, const RunHooks& hooks) {
  auto timeout =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  SharedRun run(options, scenario, resolve_endpoint(options.url, timeout));
  if (run.endpoint.tls) run.tls.emplace(make_tls_context(!options.insecure));
  auto workers = make_workers(std::min(options.threads, options.connections));
  Clock::time_point started = Clock::now();
  if (options.rate) run.schedule.emplace(*options.rate, options.connections, started);
  if (run.endpoint.tls) {
    spawn_connections<TlsStream>(run, workers);
  } else {
    spawn_connections<PlainStream>(run, workers);
  }
  Timeline timeline(options, run.control, workers, hooks, started);
  RunResult result = timeline.run(static_cast<std::uint64_t>(options.connections));
  result.mode = options.idle ? "idle" : "http";
  result.rate = options.rate.value_or(0);
  return result;
}

}  // namespace seoagents::loadgen
