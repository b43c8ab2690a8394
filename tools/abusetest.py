#!/usr/bin/env python3
"""`make abusetest`: how a well-behaved client fares while hostile clients attack the server.

Starts the Release server on a fresh data directory (an enterprise account with lifted limits,
one agent), measures the good client's latency alone, then during each attack in turn:
slowloris (header lines trickled forever, reconnecting when cut off), slow bodies, 10,000 idle
connections, a pipelining flood that never reads its answers, request smuggling attempts and
hostile JSON bodies (deep nesting, 100,000-element arrays, invalid UTF-8) in a loop. The
attacker holds a key of its own account on the agency plan's limits; the good client's account
is enterprise with its limits lifted. The good
client is `seoagents-loadgen` in open loop (a fixed request rate, latency measured from each
request's intended send time) reading one agent with its API key. Prints a Markdown table (p99,
its ratio to the p99 without attack, errors, the server's peak RSS) and, unless --no-write,
puts it in BENCHMARKS.md between the "make abusetest" markers.

    tools/abusetest.py [--duration 10] [--rate 1000] [--only NAME]... [--no-write]
"""

import argparse
import datetime
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loadtest  # noqa: E402  (the load test's process, memory and report helpers)

MARK_BEGIN = "<!-- make abusetest: begin -->"
MARK_END = "<!-- make abusetest: end -->"
PORT = 18290


def log(message):
    print(f"abusetest: {message}", file=sys.stderr, flush=True)


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=30)


class Attack:
    """Threads running `one_round(port, key)` over and over until stop()."""

    threads = 4

    def __init__(self, port, key):
        self.port, self.key = port, key
        self.running = True
        self.rounds = 0
        self.workers = [threading.Thread(target=self.loop, daemon=True)
                        for _ in range(self.threads)]

    def start(self):
        for worker in self.workers:
            worker.start()

    def loop(self):
        while self.running:
            try:
                self.one_round()
                self.rounds += 1
            except OSError:
                time.sleep(0.01)  # cut off by the server: start again

    def stop(self):
        self.running = False
        for worker in self.workers:
            worker.join(timeout=30)


class Trickle(Attack):
    """Connections that each send an opening, then one more piece every second, forever."""

    threads = 10
    per_thread = 100

    def opening(self):
        raise NotImplementedError

    piece = b""

    def one_round(self):
        sockets = []
        try:
            for _ in range(self.per_thread):
                s = connect(self.port)
                s.sendall(self.opening())
                sockets.append(s)
            while self.running:
                for s in sockets:
                    s.sendall(self.piece)
                time.sleep(1)
        finally:
            for s in sockets:
                s.close()


class Slowloris(Trickle):
    """Headers that never end: one more header line per connection per second."""

    name = "slowloris: 2,000 connections trickling headers"
    threads = 20
    piece = b"X-Trickle: a\r\n"

    def opening(self):
        return b"GET /health HTTP/1.1\r\nHost: x\r\n"


class SlowBody(Trickle):
    """Requests whose declared body arrives one byte a second."""

    name = "slow bodies: 1,000 connections, 1 byte/s"
    piece = b" "

    def opening(self):
        return (b"POST /v1/dashboard/agents HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                + self.key.encode() + b"\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n{")


class PipelineFlood(Attack):
    """Pipelined requests written as fast as the server takes them; no answer is ever read."""

    name = "pipelining flood: 8 connections never reading"
    threads = 8
    burst = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" * 1000

    def one_round(self):
        with connect(self.port) as s:
            s.settimeout(1)
            while self.running:
                try:
                    s.sendall(self.burst)
                except socket.timeout:
                    continue  # held back by the server: keep pushing


SMUGGLING = [
    b"POST /v1/dashboard/agents HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1/dashboard/agents HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6"
    b"\r\n\r\nabcdef",
    b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n",
    b"GET /health HTTP/1.1\rHost: x\r\n\r\n",
    b"POST /v1/dashboard/agents HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET /health HTTP/1.1\r\n\r\n",
]


def exchange(port, data):
    with connect(port) as s:
        s.sendall(data)
        while s.recv(65536):
            pass


class Smuggling(Attack):
    """Conflicting framing, obs-fold, bare CR, missing Host: each on its own connection."""

    name = "request smuggling attempts in a loop"

    def one_round(self):
        for data in SMUGGLING:
            exchange(self.port, data)


class HostileJson(Attack):
    """Deep nesting, 100,000-element arrays and invalid UTF-8 POSTed with a valid key."""

    name = "hostile JSON bodies in a loop"

    def __init__(self, port, key):
        super().__init__(port, key)
        keywords = b",".join([b'"k"'] * 100_000)
        self.bodies = [b"[" * 100_000 + b"]" * 100_000,
                       b'{"name":"x","keywords":[' + keywords + b"]}",
                       b'{"name":"\xff\xfe","keywords":["k"]}']

    def one_round(self):
        for body in self.bodies:
            exchange(self.port, b"POST /v1/dashboard/agents HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                     + self.key.encode() + b"\r\nContent-Type: application/json\r\n"
                     b"Connection: close\r\nContent-Length: " + str(len(body)).encode()
                     + b"\r\n\r\n" + body)


class IdleConnections:
    """10,000 connections opened by seoagents-loadgen --idle and held."""

    name = "10,000 idle connections"

    def __init__(self, port, key, hold_seconds):
        self.port, self.hold = port, hold_seconds
        self.rounds = 1

    def start(self):
        self.process = subprocess.Popen(
            [loadtest.LOADGEN, "--idle", "-c", "10000", "-t", "2", "-d", str(self.hold), "--quiet",
             f"http://127.0.0.1:{self.port}/health"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            if line.startswith("ready:"):
                return
        raise RuntimeError("seoagents-loadgen --idle did not open its connections")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


ATTACKS = [Slowloris, SlowBody, IdleConnections, PipelineFlood, Smuggling, HostileJson]


def create_key(data, account, plan, lifted):
    """A new account's key; `lifted`: its limits raised so that only the server's speed counts."""
    server = loadtest.SERVER
    made = subprocess.run([server, "keys", "create", "--account", account, "--plan", plan,
                           "--data", data], capture_output=True, text=True, check=True)
    key = made.stdout.strip().split()[-1]
    if lifted:
        subprocess.run([server, "accounts", "set-plan", account, plan, "--requests-per-minute",
                        "1000000", "--concurrent-jobs", "1000", "--data", data],
                       capture_output=True, check=True)
    return key


def create_agent(key):
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("POST", "/v1/dashboard/agents",
                       body='{"name":"Good client","keywords":["trade show booth"]}',
                       headers={"X-API-Key": key, "Content-Type": "application/json"})
    response = connection.getresponse()
    return json.loads(response.read())["id"]


class PeakRss:
    """Samples the server's RSS every 100 ms while running."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            self.peak = max(self.peak, loadtest.rss_kib(self.pid))
            time.sleep(0.1)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def good_client(options, url, key):
    argv = [loadtest.LOADGEN, "--json", "--quiet", "-t", "1", "-c", "16", "--rate",
            str(options.rate), "-d", str(options.duration), "--warmup", "1", "-H",
            f"X-API-Key: {key}", url]
    completed = subprocess.run(argv, capture_output=True, text=True,
                               timeout=options.duration * 4 + 60)
    if completed.returncode != 0:
        raise RuntimeError(f"seoagents-loadgen: {completed.stderr.strip()}")
    return json.loads(completed.stdout)


def measure(name, server_pid, options, url, key, attack=None):
    log(f"{name} …")
    if attack:
        attack.start()
        time.sleep(2)  # let it reach its full size
    rss = PeakRss(server_pid)
    result = good_client(options, url, key)
    peak = rss.stop()
    if attack:
        attack.stop()
        time.sleep(2)
    non_2xx = sum(n for status, n in result.get("status", {}).items() if not status.startswith("2"))
    return {"name": name, "p99_ms": result["latency_us"]["p99"] / 1000.0,
            "p50_ms": result["latency_us"]["p50"] / 1000.0,
            "errors": sum(result.get("errors", {}).values()),
            "non_2xx": non_2xx, "rps": result.get("rps", 0.0), "peak_rss_mib": peak / 1024.0,
            "attack_rounds": attack.rounds if attack else 0}


def table(rows, options):
    normal = rows[0]["p99_ms"]
    lines = ["| While | good client p50 | p99 | p99 / without attack | failed requests | "
             "server peak RSS |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        ratio = row["p99_ms"] / normal if normal else 0.0
        lines.append(f"| {row['name']} | {row['p50_ms']:.2f} ms | {row['p99_ms']:.2f} ms | "
                     f"{ratio:.2f}× | {row['errors'] + row['non_2xx']} | "
                     f"{row['peak_rss_mib']:.1f} MiB |")
    header = (f"Last run: {datetime.date.today().isoformat()}, commit {loadtest.commit()}, "
              f"{loadtest.machine()}; good client: `seoagents-loadgen --rate {options.rate} -c16`"
              f" reading one agent with its API key, {options.duration:g} s per row (after 1 s "
              f"of warm-up), the attacker on the same machine.")
    return header + "\n\n" + "\n".join(lines)


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--rate", type=int, default=1000, help="good client requests/s")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the attacks whose name contains this (repeatable)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    return parser.parse_args()


def main():
    options = parse_options()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    processes = loadtest.Processes()
    rows = []
    with tempfile.TemporaryDirectory(prefix="seoagents-abuse-") as work:
        data = os.path.join(work, "data")
        try:
            key = create_key(data, "good", "enterprise", lifted=True)
            # The attacker is a customer too, on the agency plan's limits.
            attacker_key = create_key(data, "attacker", "agency", lifted=False)
            server = processes.start(
                [loadtest.SERVER, "serve", "--port", str(PORT), "--threads",
                 str(os.cpu_count()), "--access-log", "off", "--log-level", "error", "--data",
                 data, "--max-connections", "25000"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            loadtest.wait_for(PORT, "/health")
            url = f"http://127.0.0.1:{PORT}/v1/dashboard/agents/{create_agent(key)}"
            rows.append(measure("no attack", server.pid, options, url, key))
            for kind in ATTACKS:
                if options.only and not any(o in kind.name for o in options.only):
                    continue
                attack = (kind(PORT, attacker_key, options.duration + 10)
                          if kind is IdleConnections else kind(PORT, attacker_key))
                rows.append(measure(kind.name, server.pid, options, url, key, attack))
            rows.append(measure("no attack, afterwards", server.pid, options, url, key))
        finally:
            processes.stop_all()
    text = table(rows, options)
    print(text)
    results = os.path.join(loadtest.ROOT, "build", "abusetest-results.json")
    with open(results, "w") as out:
        json.dump(rows, out, indent=1)
    if not options.no_write:
        loadtest.write_benchmarks(text, MARK_BEGIN, MARK_END)


if __name__ == "__main__":
    main()
