#!/usr/bin/env bash
# Sustained POST /v1/dashboard/jobs: wrk for 60 s (by default) against a server running the test
# pipeline for every job type (build/release/tests/seoagents_pipeline_server: the production
# binary has no pipeline yet and refuses job types with 400), next to nginx serving a static 200
# in the same run. The account is enterprise with limits that never bind, so every POST is
# validated, admitted (limit check, keyword, insert, progress event) and committed durably;
# the workers run the jobs meanwhile. Prints requests/s by status and the queue afterwards.
#   tools/bench-jobs.sh [--duration 60s] [--connections 64] [--threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."

duration=60s connections=64 wrk_threads=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) wrk_threads=$2; shift 2 ;;
    *) echo "bench-jobs: unknown argument $1" >&2; exit 2 ;;
  esac
done
server=build/release/tests/seoagents_pipeline_server
cli=build/release/tools/seoagents
[[ -x $server && -x $cli ]] || { echo "bench-jobs: build first (make build)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tools/bench-nginx.sh
source tools/bench-nginx.sh
require_bench_tools

nginx_port=18290
start_nginx "$nginx_port"

port=18291 data="$work/data"
key=$("$cli" keys create --account bench --plan enterprise --data "$data" 2>/dev/null | tail -n 1)
"$cli" accounts set-plan bench enterprise --requests-per-minute 1000000 \
  --concurrent-jobs 1000000 --data "$data" >/dev/null
"$server" serve --port $port --threads "$(nproc)" --access-log off --log-level warn \
  --data "$data" >/dev/null 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$port/health" || { echo "bench-jobs: the server did not start" >&2; exit 1; }
agent=$(curl -fs -X POST "http://127.0.0.1:$port/v1/dashboard/agents" -H "X-API-Key: $key" \
  -H "Content-Type: application/json" \
  -d '{"name":"Trade Show Content Agent","keywords":["trade show booth cost","custom trade show booth"]}' |
  sed -n 's/.*"id":"\(agent-[0-9a-f]*\)".*/\1/p')
[[ -n $agent ]] || { echo "bench-jobs: could not create an agent" >&2; exit 1; }

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["X-API-Key"] = "$key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"agent_id":"$agent","job_type":"create","keyword":"best trade show booths 2026"}'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() statuses = {} end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d (%.0f/s)\n", status, count,
                           count / (summary.duration / 1e6)))
  end
end
LUA

echo "== nginx static 200 (10s, same connections)"
wrk -t"$wrk_threads" -c"$connections" -d10s --latency "http://127.0.0.1:$nginx_port/" |
  grep -E "Requests/sec|99%"
echo "== POST /v1/dashboard/jobs ($duration)"
wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/v1/dashboard/jobs" | grep -E "Requests/sec|99%|status"
echo "== the queue right after"
curl -fs "http://127.0.0.1:$port/v1/dashboard/stats" -H "X-API-Key: $key"; echo
echo "$(nproc) cores shared by wrk, nginx and the server"
