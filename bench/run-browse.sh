#!/usr/bin/env bash
# Browse under load: builds HoldBench in Release and runs its browse mode (the event page and the seat map at fixed
# arrival rates, open loop, with a closed-loop hold load alongside). Options pass through; `bench/run-browse.sh --help`
# lists them. Defaults: 200, 500 and 1000 requests/s for 20 s each, half seat maps of a 1,000-seat event, 16 hold workers.
#   bench/run-browse.sh --rates 200,500,1000 --seconds 20 --hold-workers 16
# HOLDBENCH_NO_BUILD=1 skips the build. The report is printed and written to bench/out/browse-<timestamp>.md; the plots
# go to bench/browse-latency.png and bench/browse-throughput.png.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${HOLDBENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building bench/HoldBench (Release) ..."
  dotnet build bench/HoldBench/HoldBench.csproj -c Release -nologo -v quiet -clp:NoSummary
fi

# up to --connections sockets to the API endpoint, and as many again in DCP's proxy and the replicas
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# this run's data dir is /tmp/ta-bench-<id>: the leftover check below looks for this run's processes only
HOLDBENCH_RUN_ID=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
export HOLDBENCH_RUN_ID
export HOLDBENCH_COMMAND="bench/run-browse.sh${*:+ $*}"
rc=0
bench/HoldBench/bin/Release/net10.0/TicketAspire.Bench.HoldBench browse "$@" || rc=$?

# the AppHost stops its children on dispose; make sure none of this run's processes outlived it
sleep 1
if pgrep -f "/tmp/ta-bench-$HOLDBENCH_RUN_ID" >/dev/null; then
  echo "WARNING: processes of a HoldBench run are still alive:" >&2
  ps -o pid,ppid,etime,args -p "$(pgrep -d, -f "/tmp/ta-bench-$HOLDBENCH_RUN_ID")" >&2 || true
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
