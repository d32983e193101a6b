#!/usr/bin/env bash
# Hot on-sale benchmark: builds HoldBench in Release and runs its onsale mode (buyers through the waiting room, then the
# raw pgbench claim). Options pass through; `bench/run-onsale.sh --help` lists them. Defaults: 100,000 buyers for
# 10,000 tickets, 64 buyers in flight, 180 s limit for joins + purchases.
#   bench/run-onsale.sh --buyers 20000 --seats 2000 --duration-limit 200s -c 64   # the size measured on 2 cores
# HOLDBENCH_NO_BUILD=1 skips the build. The report is printed and written to bench/out/onsale-<timestamp>.md; the plots
# go to bench/onsale-throughput.png and bench/onsale-latency.png.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${HOLDBENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building bench/HoldBench (Release) ..."
  dotnet build bench/HoldBench/HoldBench.csproj -c Release -nologo -v quiet -clp:NoSummary
fi

export HOLDBENCH_COMMAND="bench/run-onsale.sh${*:+ $*}"
rc=0
bench/HoldBench/bin/Release/net10.0/TicketAspire.Bench.HoldBench onsale "$@" || rc=$?

# the AppHost stops its children on dispose; make sure none of this run's processes outlived it
sleep 1
if pgrep -f '/tmp/ta-bench-' >/dev/null; then
  echo "WARNING: processes of a HoldBench run are still alive:" >&2
  ps -o pid,ppid,etime,args -p "$(pgrep -d, -f '/tmp/ta-bench-')" >&2 || true
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
