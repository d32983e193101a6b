#!/usr/bin/env bash
# Live updates: builds HoldBench in Release and runs its watchers mode (thousands of SSE watchers of one event, spread
# over the API replicas, while closed-loop buyers sell it out; delivery latency per (watcher, change), missed changes,
# API memory per watcher). Options pass through; `bench/run-watchers.sh --help` lists them.
#   bench/run-watchers.sh --watchers 5000 --seats 400 --seats-per-hold 4 -c 8
# HOLDBENCH_NO_BUILD=1 skips the build. The report is printed and written to bench/out/watchers-<timestamp>.md; the
# plots go to bench/watchers-latency.png and bench/watchers-throughput.png.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${HOLDBENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building bench/HoldBench (Release) ..."
  dotnet build bench/HoldBench/HoldBench.csproj -c Release -nologo -v quiet -clp:NoSummary
fi

# one socket per watcher here and one in an API replica (they inherit the limit through DCP): raise the soft limit to
# the hard one; the bench checks that it covers the watchers
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files limit: $(ulimit -n); ephemeral ports: $(tr '\t' '-' < /proc/sys/net/ipv4/ip_local_port_range)"

# this run's data dir is /tmp/ta-bench-<id>: the leftover check below looks for this run's processes only
HOLDBENCH_RUN_ID=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
export HOLDBENCH_RUN_ID
export HOLDBENCH_COMMAND="bench/run-watchers.sh${*:+ $*}"
rc=0
bench/HoldBench/bin/Release/net10.0/TicketAspire.Bench.HoldBench watchers "$@" || rc=$?

# the AppHost stops its children on dispose; make sure none of this run's processes outlived it
sleep 1
if pgrep -f "/tmp/ta-bench-$HOLDBENCH_RUN_ID" >/dev/null; then
  echo "WARNING: processes of a HoldBench run are still alive:" >&2
  ps -o pid,ppid,etime,args -p "$(pgrep -d, -f "/tmp/ta-bench-$HOLDBENCH_RUN_ID")" >&2 || true
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
