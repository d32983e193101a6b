#!/usr/bin/env bash
# Where the API's CPU goes during the hold benchmark's closed loop: runs bench/run-holds.sh with a longer phase and the
# runtime's perf map on and W^X off (DOTNET_PerfMapEnabled=1, DOTNET_EnableWriteXorExecute=0: JIT-compiled frames get
# their names; with W^X they run from a double-mapped region perf cannot name), samples every eu-api replica with
# `perf record -g` for 15 s in the middle of the closed loop, and prints the CPU share of each area (inclusive: a sample
# counts for every area on its stack) and the hottest leaf functions. Needs perf (Debian: linux-perf) and root or
# kernel.perf_event_paranoid <= 1 for other processes' samples.
#   bench/profile-holds.sh            # writes bench/out/profile-<timestamp>.txt and the bench's report
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 3; }
out=bench/out; mkdir -p "$out"
stamp=$(date +%Y%m%d-%H%M%S)
log="$out/profile-$stamp.bench.log"
data="/tmp/holds-$stamp.perf"
HOLDBENCH_NO_BUILD=${HOLDBENCH_NO_BUILD:-0} bash bench/run-holds.sh -d 30 --api-env DOTNET_PerfMapEnabled=1 --api-env DOTNET_EnableWriteXorExecute=0 "$@" >"$log" 2>&1 &
bench=$!
echo "bench running (log $log); waiting for the closed loop ..."
for _ in $(seq 1 600); do
  grep -q "closed loop: .* workers for" "$log" 2>/dev/null && break
  kill -0 "$bench" 2>/dev/null || { echo "bench ended before the closed loop" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
sleep 5
pids=$(pgrep -d, -f 'TicketAspire.Api.dll' || true)
[ -n "$pids" ] || { echo "no eu-api process found" >&2; exit 1; }
echo "sampling eu-api ($pids) for 15 s"
perf record -F 499 -g -p "$pids" -o "$data" -- sleep 15 2>&1 | tail -1
wait "$bench" || true
report="$out/profile-$stamp.txt"
perf script -i "$data" 2>/dev/null | python3 bench/perf-areas.py >"$report"
[ "${KEEP_PERF:-0}" = 1 ] && echo "perf data kept: $data" || rm -f "$data"
cat "$report"
echo "profile written to $report; the bench's report: $(grep -o 'bench/out/holds-[0-9-]*.md' "$log" | tail -1)"
