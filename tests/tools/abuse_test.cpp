// Hostile clients against the real binary: request smuggling attempts, hostile JSON bodies,
// slowloris, a pipelining flood that never reads, 10,000 idle connections. Every bad request
// gets its status and the connection is closed behind it (nothing smuggled is answered), and a
// well-behaved client is answered throughout each attack while the server's memory stays
// bounded. (How fast the good client is answered during each attack is measured by
// `make abusetest`, not asserted here.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/data_dir.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

// GCC defines __SANITIZE_ADDRESS__ under -fsanitize=address; clang answers __has_feature.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
constexpr bool kUnderAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

using namespace std::chrono_literals;

constexpr std::string_view kAgents = "/v1/dashboard/agents";

// A raw socket to the server, closed with the object.
class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(RawSocket&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), connected_(other.connected_) {}
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  bool send_all(std::string_view bytes) const {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::size_t resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stoul(line.substr(6));
  }
  return 0;
}

// The well-behaved client: `count` requests, each on a fresh connection, every one answered 200.
void expect_good_client_served(const Api& api, int count) {
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(api.get("/health").result_int(), 200u) << "request " << i;
    ASSERT_EQ(api.get(join(kAgents, "?limit=5")).result_int(), 200u) << "request " << i;
  }
}

class Abuse : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra_args = {}) {
    std::string key = create_enterprise_key(data_.path(), "abuse");
    ServerProcessOptions options;
    options.extra_args = {"--access-log", "off"};
    options.extra_args.insert(options.extra_args.end(), extra_args.begin(), extra_args.end());
    server_.emplace(data_.path(), options);
    api_.emplace(server_->port(), key);
    ASSERT_NE(api_->port(), 0);
  }
  std::uint16_t port() const { return api_->port(); }
  std::string with_key(std::string_view request_line, std::string_view rest) const {
    return join(request_line, "\r\nHost: x\r\nX-API-Key: ", api_->key(), "\r\n", rest);
  }
  // `body` POSTed to /v1/dashboard/agents on its own connection.
  ClientResponse post_agent(const std::string& body) const {
    return single_response(raw_exchange(
        port(),
        with_key(join("POST ", kAgents, " HTTP/1.1"),
                 join("Content-Type: application/json\r\nContent-Length: ",
                      std::to_string(body.size()), "\r\nConnection: close\r\n\r\n", body))));
  }
  static ClientResponse single_response(const RawResult& raw) {
    EXPECT_TRUE(raw.closed) << "the server did not close the connection";
    auto responses = parse_responses(raw.bytes);
    EXPECT_EQ(responses.size(), 1u) << raw.bytes;
    return responses.empty() ? ClientResponse{} : responses.front();
  }

  TempDirectory data_;
  std::optional<ServerProcess> server_;
  std::optional<Api> api_;
};

struct Attempt {
  std::string name;
  std::string bytes;
  unsigned status;
  std::string code;
};

TEST_F(Abuse, SmugglingAttemptsAre400Or501AndNothingBehindThemIsAnswered) {
  start();
  // Behind each attempt: a request that must never be answered, whatever the framing.
  const std::string smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string post = join("POST ", kAgents, " HTTP/1.1\r\nHost: x\r\nX-API-Key: ", api_->key());
  std::vector<Attempt> attempts = {
      {"Content-Length and Transfer-Encoding",
       join(post, "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", smuggled),
       400, "BAD_REQUEST"},
      {"two different Content-Lengths",
       join(post, "\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", smuggled), 400,
       "BAD_REQUEST"},
      {"a Content-Length list", join(post, "\r\nContent-Length: 5, 5\r\n\r\nabcde", smuggled), 400,
       "BAD_REQUEST"},
      {"Content-Length with a sign", join(post, "\r\nContent-Length: +5\r\n\r\nabcde", smuggled),
       400, "BAD_REQUEST"},
      {"a space before the colon",
       join(post, "\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", smuggled), 400,
       "BAD_REQUEST"},
      {"chunked, then identity",
       join(post, "\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", smuggled), 501,
       "UNSUPPORTED_TRANSFER_ENCODING"},
      {"an unknown coding",
       join(post, "\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", smuggled), 501,
       "UNSUPPORTED_TRANSFER_ENCODING"},
      {"Transfer-Encoding in HTTP/1.0",
       join("POST /v1/dashboard/agents HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
            "0\r\n\r\n", smuggled),
       400, "BAD_REQUEST"},
      {"obs-fold", join("GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", smuggled), 400,
       "BAD_REQUEST"},
      {"obs-fold with a tab",
       join("GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: x\r\n\tchunked\r\n\r\n",
            smuggled),
       400, "BAD_REQUEST"},
      {"bare CR in the request line", join("GET /health HTTP/1.1\rHost: x\r\n\r\n", smuggled), 400,
       "BAD_REQUEST"},
      {"bare CR in a value", join("GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", smuggled),
       400, "BAD_REQUEST"},
      {"bare LF line ends", join("GET /health HTTP/1.1\nHost: x\n\n", smuggled), 400,
       "BAD_REQUEST"},
      {"NUL in a value",
       join("GET /health HTTP/1.1\r\nHost: x\r\nX-A: a", std::string(1, '\0'), "b\r\n\r\n",
            smuggled),
       400, "BAD_REQUEST"},
      {"no Host", join("GET /health HTTP/1.1\r\n\r\n", smuggled), 400, "BAD_REQUEST"},
      {"two Hosts", join("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", smuggled), 400,
       "BAD_REQUEST"},
      {"a chunk size overflowing 64 bits",
       join(post, "\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nab\r\n0\r\n\r\n",
            smuggled),
       400, "BAD_REQUEST"},
  };
  for (const Attempt& attempt : attempts) {
    SCOPED_TRACE(attempt.name);
    ClientResponse response = single_response(raw_exchange(port(), attempt.bytes));
    EXPECT_EQ(response.result_int(), attempt.status);
    EXPECT_NE(response.body().find(join("\"code\":\"", attempt.code, "\"")), std::string::npos)
        << response.body();
  }
  expect_good_client_served(*api_, 5);
}

TEST_F(Abuse, HostileJsonBodiesAre400WithTheirReason) {
  start();
  std::string deep_arrays = std::string(100'000, '[') + std::string(100'000, ']');
  std::string deep_objects;
  for (int i = 0; i < 20'000; ++i)
    deep_objects += R"({"a":)";
  deep_objects += "1" + std::string(20'000, '}');
  std::string many_keywords = R"({"name":"x","keywords":[)";
  for (int i = 0; i < 100'000; ++i)
    many_keywords += i == 0 ? R"("k")" : R"(,"k")";
  many_keywords += "]}";
  std::string many_members = "{";
  for (int i = 0; i < 50'000; ++i)
    many_members += join(i == 0 ? "" : ",", "\"m", std::to_string(i), "\":1");
  many_members += "}";

  expect_error(post_agent(deep_arrays), 400, "INVALID_JSON");
  expect_error(post_agent(deep_objects), 400, "INVALID_JSON");
  expect_error(post_agent(many_keywords), 400, "VALIDATION_ERROR");
  // 50,000 unknown members: the answer lists 50 and counts the rest, it does not echo them all.
  auto members = expect_error(post_agent(many_members), 400, "VALIDATION_ERROR");
  EXPECT_EQ(members.at("details").as_array().size(), 50u);
  EXPECT_GE(members.at("details_omitted").as_int64(), 49'950);
  // Invalid UTF-8: a stray continuation byte, an overlong '/', a lone surrogate, a truncated
  // sequence at the end of a string.
  for (std::string name : {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "ab\xe2\x82"}) {
    expect_error(post_agent(join(R"({"name":")", name, R"(","keywords":["k"]})")), 400,
                 "INVALID_JSON");
  }
  expect_error(post_agent(R"({"name":"\ud800","keywords":["k"]})"), 400, "INVALID_JSON");
  // In the target: undecodable bytes and percent-encoded invalid UTF-8.
  expect_error(
      single_response(raw_exchange(port(), with_key(join("GET ", kAgents, "/\xff\xfe HTTP/1.1"),
                                                    "Connection: close\r\n\r\n"))),
      400, "BAD_REQUEST");
  auto encoded = api_->get(join(kAgents, "?cursor=%ff%fe"));
  EXPECT_EQ(encoded.result_int(), 400u) << encoded.body();
  expect_good_client_served(*api_, 5);
}

TEST_F(Abuse, APipeliningFloodThatNeverReadsIsHeldBackAndOthersAreServed) {
  start();
  std::size_t rss_before = resident_kib(server_->pid());
  std::string request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string burst;
  for (int i = 0; i < 1000; ++i)
    burst += request;
  std::vector<RawSocket> flooders;
  std::uint64_t accepted = 0;
  for (int f = 0; f < 4; ++f) {
    RawSocket& flooder = flooders.emplace_back(port());
    ASSERT_TRUE(flooder.connected());
    ::fcntl(flooder.fd(), F_SETFL, O_NONBLOCK);
    // Writes until the server stops taking requests (it does not read while its answers are
    // unread): the kernel's buffers fill and a write would block for a whole second.
    for (;;) {
      ssize_t n = ::send(flooder.fd(), burst.data(), burst.size(), MSG_NOSIGNAL);
      if (n > 0) {
        accepted += static_cast<std::uint64_t>(n);
        continue;
      }
      pollfd ready{flooder.fd(), POLLOUT, 0};
      if (::poll(&ready, 1, 1000) == 0) break;
    }
  }
  expect_good_client_served(*api_, 20);
  std::size_t rss_during = resident_kib(server_->pid());
  std::cout << "pipelining flood: " << accepted / request.size() << " requests accepted by the "
            << "kernel; server RSS " << rss_before << " KiB -> " << rss_during << " KiB\n";
  // The server holds at most a buffer or two per flooding connection, not the whole flood.
  // (Under AddressSanitizer freed memory waits in a quarantine of up to 256 MiB before reuse, so
  // the RSS says nothing there.)
  if (!kUnderAddressSanitizer) {
    EXPECT_LT(rss_during, rss_before + 64 * 1024);
  }
}

TEST_F(Abuse, SlowlorisAndSlowBodiesAreCutOffWhileOthersAreServed) {
  start({"--header-timeout", "2s", "--body-timeout", "2s"});
  std::vector<RawSocket> slow;
  for (int i = 0; i < 500; ++i) {
    RawSocket& socket = slow.emplace_back(port());
    ASSERT_TRUE(socket.connected());
    if (i % 2 == 0) {
      socket.send_all("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");  // headers never end
    } else {
      socket.send_all(join("POST ", kAgents, " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",
                           "{"));  // the body never comes
    }
  }
  std::atomic<bool> trickling{true};
  std::thread trickle([&] {
    // One more byte on each header every 100 ms: never enough to finish.
    while (trickling) {
      for (std::size_t i = 0; i < slow.size(); i += 2)
        slow[i].send_all("a");
      std::this_thread::sleep_for(100ms);
    }
  });
  expect_good_client_served(*api_, 20);
  // Each slow connection is closed by the server's header or body deadline.
  std::size_t closed = 0;
  for (const RawSocket& socket : slow) {
    pollfd ready{socket.fd(), POLLIN, 0};
    // The safety net for a server that never closes; not a timing assertion.
    if (::poll(&ready, 1, 30'000) == 1) ++closed;
  }
  trickling = false;
  trickle.join();
  EXPECT_EQ(closed, slow.size());
  expect_good_client_served(*api_, 5);
}

TEST_F(Abuse, TenThousandIdleConnectionsCostLittleAndOthersAreServed) {
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_max < 10'500) GTEST_SKIP() << "needs 10,500 file descriptors";
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  start({"--max-connections", "11000"});
  std::size_t rss_before = resident_kib(server_->pid());
  std::vector<RawSocket> idle;
  idle.reserve(10'000);
  for (int i = 0; i < 10'000; ++i) {
    idle.emplace_back(port());
    ASSERT_TRUE(idle.back().connected()) << "connection " << i;
  }
  expect_good_client_served(*api_, 20);
  std::size_t rss_during = resident_kib(server_->pid());
  std::cout << "10,000 idle connections: server RSS " << rss_before << " KiB -> " << rss_during
            << " KiB\n";
  EXPECT_LT(rss_during - rss_before, 256 * 1024u) << "over 26 KiB per idle connection";
}

}  // namespace
}  // namespace seoagents::testing
