#!/usr/bin/env bash
# Hold benchmark: builds HoldBench in Release (which builds the AppHost and every service in Release) and runs it.
# Phases: closed loop (the maximum holds/s), open loop at half of it (p99 from due time), contention (2,000 holds on 50
# seats), and the raw baseline (pgbench, one conditional UPDATE on a 2,000,000-row table). Options pass through;
# `bench/run-holds.sh --help` lists them.
#   bench/run-holds.sh                 # defaults: 200 workers, 10 s per phase, about 3 minutes on 2 cores
#   bench/run-holds.sh -c 64           # 64 closed-loop and contention workers
# HOLDBENCH_NO_BUILD=1 skips the build. The report is printed and written to bench/out/holds-<timestamp>.md; its first
# line is the headline of bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${HOLDBENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building bench/HoldBench (Release) ..."
  dotnet build bench/HoldBench/HoldBench.csproj -c Release -nologo -v quiet -clp:NoSummary
fi

export HOLDBENCH_COMMAND="bench/run-holds.sh${*:+ $*}"
rc=0
bench/HoldBench/bin/Release/net10.0/TicketAspire.Bench.HoldBench "$@" || rc=$?

# the AppHost stops its children on dispose; make sure none of this run's processes outlived it
sleep 1
if pgrep -f '/tmp/ta-bench-' >/dev/null; then
  echo "WARNING: processes of a HoldBench run are still alive:" >&2
  ps -o pid,ppid,etime,args -p "$(pgrep -d, -f '/tmp/ta-bench-')" >&2 || true
  [ "$rc" = 0 ] && rc=1
fi
exit "$rc"
