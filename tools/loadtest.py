#!/usr/bin/env python3
"""`make loadtest`: the project's load test, beside nginx, in one run.

Builds nothing itself (the Makefile builds Release first). It generates the dataset
(`seoagents-dataset`: one account per plan, agents, articles, finished jobs), starts nginx
serving a static 200 JSON and the server (`--threads` = cores, access log off), runs every
scenario with `seoagents-loadgen` against nginx and then the server, alternately, and prints a
Markdown table: requests/s, p99 and the ratio to nginx's requests/s measured just before, with
each scenario's target. Unless --no-write, the table replaces the "make loadtest" section of
BENCHMARKS.md (between its markers) together with the machine, date and commit.

    tools/loadtest.py [--duration 10] [--connections 64] [--only SUBSTRING]...
                      [--binary PATH[:LABEL]]... [--articles 1000000] [--no-write]

With several --binary (as `make loadtest-uring` passes the epoll and the io_uring builds), each
server gets its own copy of the dataset and every scenario runs against nginx and then each of
them, in the same run.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "release")
SERVER = os.path.join(BUILD, "tools", "seoagents")
LOADGEN = os.path.join(BUILD, "tools", "loadgen", "seoagents-loadgen")
DATASET = os.path.join(BUILD, "tools", "dataset", "seoagents-dataset")
MARK_BEGIN = "<!-- make loadtest: begin -->"
MARK_END = "<!-- make loadtest: end -->"
NGINX_PORT = 18190
FIRST_SERVER_PORT = 18191
JWT_ISSUER = "https://loadtest.example"
JWT_AUDIENCE = "loadtest"
AGENT_BODY = ('{"name":"Load Agent {{seq}}","keywords":["trade show booth cost {{seq}}",'
              '"custom trade show booth"],"tone":"professional","word_target":1500}')


def fail(message):
    print(f"loadtest: {message}", file=sys.stderr)
    sys.exit(1)


def log(message):
    print(f"loadtest: {message}", file=sys.stderr, flush=True)


def wait_for(port, path="/", timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        time.sleep(0.05)
    fail(f"nothing answered on port {port} within {timeout:.0f} s")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Processes:
    """Children started by the run, stopped on exit whatever happens."""

    def __init__(self):
        self.children = []

    def start(self, argv, **kwargs):
        child = subprocess.Popen(argv, **kwargs)
        self.children.append(child)
        return child

    def stop_all(self):
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=10)
            if child.poll() is None:
                child.kill()


def start_nginx(processes, work):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        fail("nginx is missing; run tools/install-deps.sh --bench")
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as out:
        out.write(f"""daemon off;
worker_processes {os.cpu_count()};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 20000; }}
http {{
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  server {{
    listen 127.0.0.1:{NGINX_PORT} reuseport;
    location / {{ default_type application/json; return 200 '{{"status":"ok"}}'; }}
  }}
}}
""")
    processes.start([nginx, "-c", conf])
    wait_for(NGINX_PORT)


@dataclass
class Server:
    binary: str
    label: str
    port: int
    process: subprocess.Popen = None
    idle_rss_kib: int = 0
    data: str = ""
    jwt_dir: str = ""


def restart_server(processes, server):
    """A fresh process: memory freed by an earlier measurement would hide the next one's."""
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    start_server(processes, server, server.data, server.jwt_dir)


def start_server(processes, server, data, jwt_dir):
    server.data, server.jwt_dir = data, jwt_dir
    argv = [server.binary, "serve", "--port", str(server.port), "--threads", str(os.cpu_count()),
            "--access-log", "off", "--log-level", "warn", "--data", data,
            "--max-connections", "25000",
            "--jwks-file", os.path.join(jwt_dir, "jwks.json"), "--jwt-issuer", JWT_ISSUER,
            "--jwt-audience", JWT_AUDIENCE]
    log_file = open(os.path.join(data, "server.log"), "w")
    server.process = processes.start(argv, stdout=log_file, stderr=subprocess.STDOUT)
    wait_for(server.port, "/health")
    time.sleep(1)  # let the start-up settle before reading the idle RSS
    server.idle_rss_kib = rss_kib(server.process.pid)


def make_dataset(work, options):
    data = os.path.join(work, "data")
    out = os.path.join(work, "dataset.json")
    log(f"generating the dataset ({options.agents} agents, {options.articles} articles, "
        f"{options.jobs} jobs)")
    started = time.monotonic()
    subprocess.run([DATASET, "--data", data, "--agents", str(options.agents), "--articles",
                    str(options.articles), "--jobs", str(options.jobs), "--jwt-sub", "loadtest",
                    "--out", out], check=True)
    log(f"dataset ready in {time.monotonic() - started:.1f} s")
    with open(out) as dataset:
        return data, json.load(dataset)


def mint_jwt(work, sub):
    jwt_dir = os.path.join(work, "jwt")
    subprocess.run([SERVER, "jwt", "keygen", "--out", jwt_dir], check=True,
                   stdout=subprocess.DEVNULL)
    token = subprocess.run(
        [SERVER, "jwt", "mint", "--key", os.path.join(jwt_dir, "jwt-private.pem"), "--sub", sub,
         "--issuer", JWT_ISSUER, "--audience", JWT_AUDIENCE, "--ttl", "86400"],
        check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return jwt_dir, token


def cursor_of_page(port, key, path, page):
    """The cursor that GET `path` returns for `page` (1-based), walked page by page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    cursor = None
    for _ in range(page - 1):
        target = path + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        connection.request("GET", target, headers={"X-API-Key": key})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            fail(f"walking to page {page}: GET {target} answered {response.status}: {body[:200]}")
        cursor = json.loads(body)["next_cursor"]
        if cursor is None:
            fail(f"the list ended before page {page}")
    return cursor


@dataclass
class Scenario:
    name: str
    target: str
    # Arguments of seoagents-loadgen for a server: a function of its port.
    arguments: object
    # Compared with nginx measured just before it.
    paired: bool = True
    # Only 2xx answers count as done (writes).
    count_only_2xx: bool = False
    # "nginx", and each server's label.
    results: dict = field(default_factory=dict)


def run_loadgen(arguments, options, timeout_extra=120):
    argv = [LOADGEN, "--json", "--quiet", "-t", str(options.threads)] + arguments
    completed = subprocess.run(argv, capture_output=True, text=True,
                               timeout=options.duration * 4 + timeout_extra)
    if completed.returncode != 0:
        fail(f"{' '.join(argv)} exited with {completed.returncode}: {completed.stderr.strip()}")
    return json.loads(completed.stdout)


def http_arguments(options, url, *extra):
    return ["-c", str(options.connections), "-d", str(options.duration), "--warmup", "1",
            *extra, url]


def scenarios_for(dataset, token, options, deep_cursors, deep_page):
    enterprise = dataset["accounts"]["enterprise"]["api_key"]
    key = ["-H", f"X-API-Key: {enterprise}"]
    bearer = ["-H", f"Authorization: Bearer {token}"]
    articles = "/v1/dashboard/articles?limit=25&sort=score:desc"

    def deep(port):
        cursor = deep_cursors[port]
        path = articles + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        return http_arguments(options, f"http://127.0.0.1:{port}{path}", *key)
    job_body = json.dumps({"agent_id": dataset["agent_id"], "job_type": "create"})
    json_body = ["-H", "Content-Type: application/json", "--body"]

    def get(path, *headers):
        return lambda port: http_arguments(options, f"http://127.0.0.1:{port}{path}", *headers)

    def post(path, body):
        return lambda port: http_arguments(options, f"http://127.0.0.1:{port}{path}", "-m",
                                           "POST", *key, *json_body, body)

    def watch(port):
        return ["--ws", "--watchers", str(options.watchers), *key, "-d",
                str(max(options.duration, 30)), "--submit-url",
                f"http://127.0.0.1:{port}/v1/dashboard/jobs", "--submit-body", job_body,
                "--jobs", str(options.ws_jobs), "--submit-rate", str(options.ws_submit_rate),
                f"ws://127.0.0.1:{port}/v1/ws"]

    return [
        Scenario("GET /health", "≥ 0.95× nginx", get("/health")),
        Scenario("GET /v1/dashboard/agents/{id}, X-API-Key", "≥ 0.6× nginx",
                 get("/v1/dashboard/agents/" + dataset["agent_id"], *key)),
        Scenario("GET /v1/dashboard/agents/{id}, JWT (RS256)", "≥ 0.5× nginx",
                 get("/v1/dashboard/agents/" + dataset["jwt_agent_id"], *bearer)),
        Scenario("GET /v1/dashboard/articles?limit=25&sort=score:desc, page 1", "≥ 0.25× nginx",
                 get(articles, *key)),
        Scenario(f"the same, page {deep_page:,} (its cursor)",
                 "≥ 0.25× nginx, p99 within 20 % of page 1", deep),
        Scenario("POST /v1/dashboard/agents (durable, group commit)",
                 "≥ 20,000 writes/s, p99 ≤ 20 ms", post("/v1/dashboard/agents", AGENT_BODY),
                 count_only_2xx=True),
        # Before the job flood below: its backlog would keep these jobs queued.
        Scenario(f"WebSocket: {options.watchers:,} watchers, jobs emitting events",
                 "≥ 200,000 frames/s, p99 delivery ≤ 50 ms", watch, paired=False),
        Scenario("POST /v1/dashboard/jobs (enterprise, workers busy)", "≥ 10,000 jobs/s",
                 post("/v1/dashboard/jobs", job_body), count_only_2xx=True),
    ]


def successful(result):
    return sum(count for status, count in result.get("status", {}).items()
               if status.startswith("2"))


def rate_of(scenario, label):
    result = scenario.results[label]
    if "ws" in result:
        return result["ws"].get("frames_per_s", 0.0)
    if scenario.count_only_2xx:
        return successful(result) / max(result.get("duration_s", 1.0), 1e-9)
    return result.get("rps", 0.0)


def p99_ms(result):
    latency = result.get("ws", {}).get("latency_us") or result.get("latency_us", {})
    return latency.get("p99", 0) / 1000.0


def measure_nginx(options):
    return run_loadgen(http_arguments(options, f"http://127.0.0.1:{NGINX_PORT}/"), options)


def selected(scenario, options):
    return not options.only or any(s.lower() in scenario.name.lower() for s in options.only)


def run_scenarios(scenarios, servers, options):
    for scenario in scenarios:
        if not selected(scenario, options):
            continue
        if scenario.paired:
            log(f"nginx, before: {scenario.name}")
            scenario.results["nginx"] = measure_nginx(options)
        for server in servers:
            log(f"{server.label}: {scenario.name}")
            scenario.results[server.label] = run_loadgen(scenario.arguments(server.port), options)
        if not scenario.paired:
            scenario.results["nginx"] = measure_nginx(options)


def idle_memory(server, options, ws, dataset):
    """(RSS per idle connection in KiB, connections held) with `options.idle` of them open."""
    before = rss_kib(server.process.pid)
    key = dataset["accounts"]["enterprise"]["api_key"]
    if ws:
        argv = [LOADGEN, "--idle", "--ws", "--watchers", str(options.idle), "-H",
                f"X-API-Key: {key}", "-d", "600", f"ws://127.0.0.1:{server.port}/v1/ws"]
    else:
        argv = [LOADGEN, "--idle", "-c", str(options.idle), "-d", "600",
                f"http://127.0.0.1:{server.port}/health"]
    child = subprocess.Popen(argv + ["--quiet"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             text=True)
    try:
        for line in child.stderr:
            if "ready" in line:
                break
        else:
            fail(f"{' '.join(argv)} ended before its connections were open")
        time.sleep(2)
        during = rss_kib(server.process.pid)
    finally:
        child.terminate()
        child.wait(timeout=30)
    return (during - before) / options.idle


def target_met(scenario, label, scenarios):
    """Whether the server labelled `label` meets the scenario's target (with no error and, but
    for the writes' refusals, no answer other than 2xx)."""
    result = scenario.results[label]
    if sum(result.get("errors", {}).values()) > 0:
        return False
    if "ws" not in result and not scenario.count_only_2xx and successful(result) != sum(
            result.get("status", {}).values()):
        return False
    rate = rate_of(scenario, label)
    nginx = scenario.results["nginx"].get("rps", 0.0)
    ratio = rate / nginx if nginx else 0.0
    p99 = p99_ms(scenario.results[label])
    name = scenario.name
    if name.startswith("GET /health"):
        return ratio >= 0.95
    if "agents/{id}, X-API-Key" in name:
        return ratio >= 0.6
    if "JWT" in name:
        return ratio >= 0.5
    if "page 1" in name:
        return ratio >= 0.25
    if name.startswith("the same, page"):
        first = next((s for s in scenarios if "page 1" in s.name and label in s.results), None)
        return (ratio >= 0.25 and first is not None
                and p99 <= 1.2 * p99_ms(first.results[label]))
    if name.startswith("POST /v1/dashboard/agents"):
        return rate >= 20_000 and p99 <= 20
    if name.startswith("POST /v1/dashboard/jobs"):
        return rate >= 10_000
    if name.startswith("WebSocket"):
        return rate >= 200_000 and p99 <= 50
    return False


def scenario_row(scenario, label, scenarios, several):
    result = scenario.results[label]
    rate = rate_of(scenario, label)
    nginx = scenario.results["nginx"].get("rps", 0.0)
    unit = (" frames/s" if "ws" in result else " writes/s" if scenario.count_only_2xx
            else " req/s")
    notes = []
    errors = sum(result.get("errors", {}).values())
    if errors:
        notes.append(f"{errors:,} errors")
    others = sum(result.get("status", {}).values()) - successful(result)
    if others and "ws" not in result:
        notes.append(f"{others:,} non-2xx")
    name = f"{scenario.name} — {label}" if several else scenario.name
    note = f" ({', '.join(notes)})" if notes else ""
    ratio = f"{rate / nginx:.2f}×" if nginx else "—"
    return (f"| {name}{note} | {scenario.target} | {rate:,.0f}{unit} | "
            f"{p99_ms(result):.2f} ms | {nginx:,.0f} | {ratio} | "
            f"{'yes' if target_met(scenario, label, scenarios) else 'no'} |")


def memory_rows(server, memory, options, several):
    suffix = f" — {server.label}" if several else ""
    idle_mib = server.idle_rss_kib / 1024
    rows = [f"| idle RSS (dataset open){suffix} | ≤ 30 MB | {idle_mib:.1f} MiB | — | — | — | "
            f"{'yes' if idle_mib * 1.048576 <= 30 else 'no'} |"]
    for label, limit, value in (
            (f"RSS per idle keep-alive connection ({options.idle:,} open)", 8, memory.get("http")),
            (f"RSS per idle WebSocket ({options.idle:,} open)", 16, memory.get("ws"))):
        if value is not None:
            rows.append(f"| {label}{suffix} | ≤ {limit} KiB | {value:.1f} KiB | — | — | — | "
                        f"{'yes' if value <= limit else 'no'} |")
    return rows


def table(scenarios, servers, memory, options):
    several = len(servers) > 1
    lines = ["| scenario | target | measured | p99 | nginx requests/s | ratio to nginx | met |",
             "|---|---|---:|---:|---:|---:|:-:|"]
    for scenario in scenarios:
        for server in servers:
            if server.label in scenario.results:
                lines.append(scenario_row(scenario, server.label, scenarios, several))
    for server in servers:
        if server.label in memory:
            lines.extend(memory_rows(server, memory[server.label], options, several))
    return "\n".join(lines)


def machine():
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, Linux {platform.release()}"


def commit():
    def git(*args):
        return subprocess.run(["git", "-C", ROOT, *args], capture_output=True,
                              text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain", "-uno") else "")


def report(scenarios, servers, memory, options, dataset):
    counts = dataset.get("counts", {})
    labels = ", ".join(server.label for server in servers)
    header = (f"Last run: {datetime.date.today().isoformat()}, commit {commit()}, {machine()}; "
              f"{labels}; `seoagents-loadgen -c{options.connections} -t{options.threads}`, "
              f"{options.duration:g} s per scenario (after 1 s of warm-up), nginx measured just "
              f"before each scenario; dataset: "
              + ", ".join(f"{value:,} {name}" for name, value in counts.items()) + ".")
    return header + "\n\n" + table(scenarios, servers, memory, options)


def save_results(scenarios, memory):
    """Every run's whole loadgen report, for a closer look: build/loadtest-results.json."""
    path = os.path.join(ROOT, "build", "loadtest-results.json")
    with open(path, "w") as out:
        json.dump({"scenarios": {s.name: s.results for s in scenarios}, "memory": memory}, out,
                  indent=1)
    log(f"the loadgen reports are in {path}")


def write_benchmarks(text, begin=MARK_BEGIN, end=MARK_END):
    """Replaces what BENCHMARKS.md holds between the markers `begin` and `end` with `text`."""
    path = os.path.join(ROOT, "BENCHMARKS.md")
    with open(path) as current:
        content = current.read()
    if begin not in content or end not in content:
        fail(f"BENCHMARKS.md lacks the markers {begin} … {end}")
    before, rest = content.split(begin, 1)
    _, after = rest.split(end, 1)
    with open(path, "w") as out:
        out.write(f"{before}{begin}\n{text}\n{end}{after}")
    log("BENCHMARKS.md updated")


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="load generator threads")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the scenarios whose name contains this (repeatable)")
    parser.add_argument("--binary", action="append", default=[],
                        help="a server binary, PATH[:LABEL] (repeatable; default the Release "
                             "build)")
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--watchers", type=int, default=10_000)
    # Submitted faster than the workers run them: most jobs are still queued when the watchers'
    # subscriptions arrive, so their events are delivered live (and their latency measured).
    parser.add_argument("--ws-jobs", type=int, default=40)
    parser.add_argument("--ws-submit-rate", type=int, default=200)
    parser.add_argument("--idle", type=int, default=10_000,
                        help="idle connections for the memory measurements (0: skip them)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    return parser.parse_args()


def start_servers(processes, options, data, jwt_dir):
    specs = options.binary or [f"{SERVER}:seoagents (epoll)"]
    # Each server writes: each gets its own copy of the dataset, made before any starts.
    directories = [data] + [shutil.copytree(data, f"{data}-{i}") for i in range(1, len(specs))]
    servers = []
    for index, (spec, directory) in enumerate(zip(specs, directories)):
        binary, _, label = spec.partition(":")
        server = Server(binary, label or os.path.basename(binary), FIRST_SERVER_PORT + index)
        start_server(processes, server, directory, jwt_dir)
        servers.append(server)
    return servers


def main():
    options = parse_options()
    for tool in (LOADGEN, DATASET):
        if not os.access(tool, os.X_OK):
            fail(f"{tool} is not built; run make loadtest (it builds Release first)")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    processes = Processes()
    work = tempfile.mkdtemp(prefix="seoagents-loadtest-")
    try:
        data, dataset = make_dataset(work, options)
        jwt_dir, token = mint_jwt(work, dataset["accounts"]["jwt"]["sub"])
        start_nginx(processes, work)
        servers = start_servers(processes, options, data, jwt_dir)
        deep_page = max(1, min(40_000, options.articles // 25))
        # Cursors are signed with a key derived from each server's master key (made at its
        # first start): each server is walked for its own.
        deep_cursors = {}
        for server in servers:
            log(f"{server.label}: walking to page {deep_page:,} of the article list")
            deep_cursors[server.port] = cursor_of_page(
                server.port, dataset["accounts"]["enterprise"]["api_key"],
                "/v1/dashboard/articles?limit=25&sort=score:desc", deep_page)
        scenarios = scenarios_for(dataset, token, options, deep_cursors, deep_page)
        memory = {}
        if options.idle > 0 and not options.only:
            for server in servers:
                log(f"{server.label}: memory with {options.idle:,} idle connections, then WebSockets")
                http_kib = idle_memory(server, options, False, dataset)
                restart_server(processes, server)
                ws_kib = idle_memory(server, options, True, dataset)
                restart_server(processes, server)
                memory[server.label] = {"http": http_kib, "ws": ws_kib}
        run_scenarios(scenarios, servers, options)
        text = report(scenarios, servers, memory, options, dataset)
        print(text)
        save_results(scenarios, memory)
        if not options.no_write and not options.only:
            write_benchmarks(text)
    finally:
        processes.stop_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
