#!/usr/bin/env bash
# Side-by-side HTTP throughput: wrk against nginx serving a static 200 and against seoagents, in
# the same run, alternating, on loopback. Prints a Markdown table (requests/s, p99, ratio).
# seoagents is measured on /health, /v1/dashboard/health and an authenticated
# GET /v1/dashboard/agents/{id}, with an API key and with a JWT (enterprise accounts whose limits
# never bind; the JWT is minted with `seoagents jwt` and checked against a JWKS file).
#   tools/bench-http.sh [--duration 10s] [--connections 64] [--threads 2] [--rounds 2]
#                       [--binary PATH[:LABEL]]...      (repeatable; default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10s connections=64 wrk_threads=2 rounds=2
binaries=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) wrk_threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --binary) binaries+=("$2"); shift 2 ;;
    *) echo "bench-http: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ ${#binaries[@]} -gt 0 ]] || binaries=("build/release/tools/seoagents:seoagents (epoll)")
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

nginx_port=18190
start_nginx "$nginx_port"


# Runs wrk once on a URL (and optional wrk arguments such as -H); prints "requests_per_second p99".
measure() {
  local out
  out=$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$@")
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$rps $p99"
}

declare -A best_rps best_p99
record() {  # name rps p99: keep the best round
  local name=$1 rps=$2 p99=$3
  if [[ -z ${best_rps[$name]:-} ]] || awk "BEGIN{exit !($rps > ${best_rps[$name]})}"; then
    best_rps[$name]=$rps; best_p99[$name]=$p99
  fi
}

port=18191
declare -a names
names+=("nginx static 200")
for spec in "${binaries[@]}"; do
  bin=${spec%%:*}; label=${spec#*:}; [[ $label == "$spec" ]] && label=$bin
  data="$work/data-$port"
  key=$("$bin" keys create --account bench --plan enterprise --data "$data" 2>/dev/null | tail -n 1)
  "$bin" accounts set-plan bench enterprise --requests-per-minute 1000000 \
    --concurrent-jobs 1000 --data "$data" >/dev/null
  "$bin" jwt keygen --out "$work/jwt-$port" >/dev/null
  token=$("$bin" jwt mint --key "$work/jwt-$port/jwt-private.pem" --sub bench-user \
    --issuer https://bench.example --audience bench --ttl 86400)
  "$bin" serve --port $port --threads "$(nproc)" --access-log off --log-level warn \
    --data "$data" --jwks-file "$work/jwt-$port/jwks.json" --jwt-issuer https://bench.example \
    --jwt-audience bench >/dev/null 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/health" || { echo "bench-http: $bin did not start" >&2; exit 1; }
  agent=$(curl -fs -X POST "http://127.0.0.1:$port/v1/dashboard/agents" -H "X-API-Key: $key" \
    -H "Content-Type: application/json" \
    -d '{"name":"Trade Show Content Agent","keywords":["trade show booth cost","custom trade show booth"],"tone":"professional","word_target":2500,"schedule":"weekly"}' |
    sed -n 's/.*"id":"\(agent-[0-9a-f]*\)".*/\1/p')
  [[ -n $agent ]] || { echo "bench-http: could not create an agent on $bin" >&2; exit 1; }
  # The JWT's account is created by its first request; then it gets the same agent shape.
  curl -fs "http://127.0.0.1:$port/v1/dashboard/account" -H "Authorization: Bearer $token" >/dev/null
  "$bin" accounts set-plan jwt:bench-user enterprise --requests-per-minute 1000000 \
    --data "$data" >/dev/null
  jwt_agent=$(curl -fs -X POST "http://127.0.0.1:$port/v1/dashboard/agents" \
    -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"name":"Trade Show Content Agent","keywords":["trade show booth cost","custom trade show booth"],"tone":"professional","word_target":2500,"schedule":"weekly"}' |
    sed -n 's/.*"id":"\(agent-[0-9a-f]*\)".*/\1/p')
  [[ -n $jwt_agent ]] || { echo "bench-http: could not create an agent with the JWT" >&2; exit 1; }
  for path in /health /v1/dashboard/health "/v1/dashboard/agents/$agent"; do
    shown=${path/$agent/\{id\} with X-API-Key}
    names+=("$label GET $shown")
    eval "url_${#names[@]}=http://127.0.0.1:$port$path"
    eval "header_${#names[@]}='X-API-Key: $key'"
  done
  names+=("$label GET /v1/dashboard/agents/{id} with a JWT")
  eval "url_${#names[@]}=http://127.0.0.1:$port/v1/dashboard/agents/$jwt_agent"
  eval "header_${#names[@]}='Authorization: Bearer $token'"
  port=$((port + 1))
done

for round in $(seq 1 "$rounds"); do
  read -r rps p99 < <(measure "http://127.0.0.1:$nginx_port/")
  record "nginx static 200" "$rps" "$p99"
  for i in $(seq 2 ${#names[@]}); do
    url_var="url_$i" header_var="header_$i"
    read -r rps p99 < <(measure "${!url_var}" -H "${!header_var}")
    record "${names[$((i - 1))]}" "$rps" "$p99"
    read -r rps p99 < <(measure "http://127.0.0.1:$nginx_port/")
    record "nginx static 200" "$rps" "$p99"
  done
done

nginx_rps=${best_rps["nginx static 200"]}
echo "wrk -t$wrk_threads -c$connections -d$duration, best of $rounds rounds, $(nproc) cores shared by wrk and the server"
echo
echo "| scenario | requests/s | p99 | ratio to nginx |"
echo "|---|---:|---:|---:|"
for name in "${names[@]}"; do
  ratio=$(awk "BEGIN{printf \"%.2f\", ${best_rps[$name]} / $nginx_rps}")
  printf '| %s | %.0f | %s | %s× |\n' "$name" "${best_rps[$name]}" "${best_p99[$name]}" "$ratio"
done
