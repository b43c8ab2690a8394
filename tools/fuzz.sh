#!/usr/bin/env bash
# Runs each libFuzzer executable of a -DSEOAGENTS_FUZZ=ON build for a fixed time.
#   tools/fuzz.sh BUILD_DIR SECONDS TARGET...
# Each starts from its committed seeds (fuzz/corpus/<target>) plus what earlier runs found
# (BUILD_DIR/corpus/<target>, where new inputs go); a crash is written to
# fuzz/crashes/<target>/ (commit it with the fix: the test suite replays it) and fails the run.
# Prints one line per target: executions, executions per second, corpus size, coverage.
set -euo pipefail
cd "$(dirname "$0")/.."

build=$1 seconds=$2
shift 2
failed=0
for target in "$@"; do
  found="$build/corpus/$target"
  crashes="fuzz/crashes/$target"
  mkdir -p "$found" "$crashes"
  log="$build/fuzz-$target.log"
  if ! "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$crashes/" -timeout=30 -rss_limit_mb=2048 \
      "$found" "fuzz/corpus/$target" >"$log" 2>&1; then
    echo "fuzz: $target FAILED; the input is in $crashes/, the log in $log" >&2
    tail -n 40 "$log" >&2
    failed=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(ls "$found" | wc -l)
  echo "fuzz: $target: $runs executions in ${seconds} s ($rate/s), coverage $coverage, $corpus new corpus inputs"
done
exit $failed
