#!/usr/bin/env bash
# Memory footprint of the platform at idle: starts every cell with its defaults the way a newcomer does
# (`dotnet run --project AppHost`, which builds first: Debug), waits until every service process answers its
# health check, lets it settle, sums PSS (/proc/<pid>/smaps_rollup) per process kind, prints a table and the total,
# then stops the AppHost.
#   bench/footprint.sh                                   # every cell file, default replicas
#   bench/footprint.sh -- --TicketAspire:Cells=eu,us     # the two cells of the README's number
#   bench/footprint.sh -- --TicketAspire:Cells=eu        # AppHost arguments after --
#   FOOTPRINT_SETTLE="30 300" bench/footprint.sh         # seconds of idle at which to sample (default: 30 and 300)
#   FOOTPRINT_NO_BUILD=1 bench/footprint.sh              # dotnet run --no-build
#   FOOTPRINT_DETAIL=1 bench/footprint.sh                # also one line per process
# The AppHost runs on the fixed ports of regions/*.json (5000, 5101, ...) and the dashboard's (18888-18890): nothing
# else may use them. Data lives in the usual gitignored .data/ (FOOTPRINT_DATA_DIR picks another, e.g. a fresh one).
# Wrap it in `flock /work/.heavy.lock` on a shared machine. The platform is every descendant of the launcher and of the
# DCP server watching its AppHost; whatever is left of it a minute after the AppHost has stopped is killed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

timeout=${FOOTPRINT_TIMEOUT:-600}
apphost_args=()
if [ "${1:-}" = "--" ]; then shift; apphost_args=("$@"); fi
if [ -n "${FOOTPRINT_DATA_DIR:-}" ]; then apphost_args+=("--TicketAspire:DataDir=$FOOTPRINT_DATA_DIR"); fi

# exactly what a newcomer types (it builds first, incrementally); FOOTPRINT_NO_BUILD=1 adds --no-build
run_args=(run --project AppHost)
if [ "${FOOTPRINT_NO_BUILD:-0}" = 1 ]; then run_args+=(--no-build); fi
if [ ${#apphost_args[@]} -gt 0 ]; then run_args+=(-- "${apphost_args[@]}"); fi

mkdir -p bench/out
log="bench/out/footprint-$(date -u +%Y%m%d-%H%M%S).log"
command_line="dotnet ${run_args[*]}"
echo "starting: $command_line (console: $log)"
setsid dotnet "${run_args[@]}" >"$log" 2>&1 < /dev/null &
launcher=$!
started=$(date +%s)

# the AppHost is the process running TicketAspire.AppHost under the launcher; the platform is every descendant of the
# launcher and of the DCP server that watches the AppHost (DCP detaches into a session of its own)
apphost_pid() { measure apphost 2>/dev/null || true; }
platform_pids() { measure pids 2>/dev/null || true; }

stop_platform() {
  set +e
  local app left
  app=$(apphost_pid)
  pids=$(platform_pids)
  if [ -n "$app" ]; then
    echo "stopping the AppHost (pid $app) ..."
    kill -TERM "$app" 2>/dev/null
  fi
  for _ in $(seq 1 90); do
    kill -0 "$launcher" 2>/dev/null || break
    sleep 1
  done
  kill -TERM "$launcher" 2>/dev/null
  # DCP stops the services once the AppHost is gone: give them (Postgres's fast shutdown included) time to go
  for _ in $(seq 1 60); do
    left=$(for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done | tr '\n' ' ')
    [ -z "${left// /}" ] && break
    sleep 1
  done
  left=$(for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done | tr '\n' ' ')
  if [ -n "${left// /}" ]; then
    echo "killing what is left of the run: $left" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null
  fi
}

measure() {
  python3 - "$launcher" "$repo" "$1" <<'PY'
import json, os, re, socket, sys, urllib.request
launcher, repo, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]

def read(path, binary=False):
    try:
        with open(path, "rb" if binary else "r") as f:
            return f.read()
    except OSError:
        return None

def stat(pid):
    text = read(f"/proc/{pid}/stat")
    return text.rsplit(")", 1)[1].split() if text else None

table = {}
for name in os.listdir("/proc"):
    if name.isdigit():
        st, raw = stat(int(name)), read(f"/proc/{name}/cmdline", True)
        if st and raw:
            table[int(name)] = (int(st[1]), [a.decode(errors="replace") for a in raw.split(b"\0") if a])

def descendants(roots):
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in found or pid not in table: continue
        found.add(pid)
        todo.extend(child for child, (ppid, _) in table.items() if ppid == pid)
    return found

tree = descendants([launcher])
apphost = [p for p in tree if any("TicketAspire.AppHost" in a for a in table[p][1][:1])]
if mode == "apphost":
    print(apphost[0] if apphost else ""); sys.exit(0 if apphost else 1)
# DCP's server detaches (its parent is init) and watches the AppHost: `dcp start-apiserver --monitor <apphost pid>`
dcp_roots = [p for p, (_, args) in table.items()
             if apphost and os.path.basename(args[0]) == "dcp" and "--monitor" in args and args[args.index("--monitor") + 1:][:1] == [str(apphost[0])]]
procs = [(p, table[p][1]) for p in sorted(tree | descendants(dcp_roots))]
if mode == "pids":
    print(" ".join(str(p) for p, _ in procs)); sys.exit(0)

def kind(args):
    line = " ".join(args)
    exe = os.path.basename(args[0])
    if exe == "dotnet" and len(args) > 1 and args[1] in ("run", "watch"):
        return "launchers (dotnet run)"
    if "TicketAspire.AppHost" in line: return "apphost"
    if exe in ("dcp", "dcpctrl", "dcpproc") or "/dcp " in line or line.endswith("/dcp"): return "dcp"
    if "Aspire.Dashboard" in line: return "dashboard"
    for assembly, k in (("TicketAspire.Api", "api"), ("TicketAspire.Worker", "worker"), ("TicketAspire.Identity", "identity"),
                        ("TicketAspire.Migrator", "migrator"), ("TicketAspire.Payments.Simulator", "payments"),
                        ("TicketAspire.GarnetHost", "garnet"), ("TicketAspire.Router", "router")):
        if re.search(re.escape(assembly) + r"(\.dll)?(\s|$)", line): return k
    if exe.startswith("postgres") or "run-postgres.sh" in line or exe == "setpriv" or args[0].startswith("postgres:"): return "postgres"
    if exe == "redis-server": return "redis-server"
    return "other"

def env(pid):
    raw = read(f"/proc/{pid}/environ", True) or b""
    return dict(e.decode(errors="replace").split("=", 1) for e in raw.split(b"\0") if b"=" in e)

def healthy(pid, k):
    e = env(pid)
    try:
        if k in ("api", "worker", "identity", "payments", "router"):
            urls = e.get("ASPNETCORE_URLS") or ("http://127.0.0.1:" + e["HTTP_PORTS"].split(";")[0] if "HTTP_PORTS" in e else None)
            if not urls: return False
            url = urls.split(";")[0].replace("://localhost", "://127.0.0.1").replace("://+", "://127.0.0.1").replace("://*", "://127.0.0.1").rstrip("/")
            with urllib.request.urlopen(url + "/health", timeout=5) as r:
                return r.status == 200
        if k == "garnet":
            with socket.create_connection(("127.0.0.1", int(e["GARNET_PORT"])), timeout=5) as s:
                s.sendall(b"PING\r\n"); return s.recv(16).startswith(b"+PONG")
        return True
    except Exception:
        return False

if mode == "health":
    cells = [json.load(open(os.path.join(repo, "regions", f))) for f in sorted(os.listdir(os.path.join(repo, "regions"))) if f.endswith(".json")]
    only = os.environ.get("FOOTPRINT_CELLS")
    if only: cells = [c for c in cells if c["id"] in only.split(",")]
    expect = {"api": 2 * len(cells), "worker": len(cells), "identity": len(cells), "payments": len(cells), "router": 1,
              "garnet": sum(len(c["resellers"]) for c in cells if c.get("redis_server", "garnet") == "garnet")}
    up = {k: 0 for k in expect}
    for pid, args in procs:
        k = kind(args)
        if k in up and healthy(pid, k): up[k] += 1
    missing = {k: f"{up[k]}/{n}" for k, n in expect.items() if up[k] < n}
    print("ready" if not missing else "waiting: " + ", ".join(f"{k} {v}" for k, v in missing.items()))
    sys.exit(0 if not missing else 1)

def rollup(pid):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+):\s+(\d+) kB", read(f"/proc/{pid}/smaps_rollup") or "", re.M)}

def pss_kib(pid):
    text = read(f"/proc/{pid}/smaps_rollup") or ""
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0

def rss_kib(pid):
    text = read(f"/proc/{pid}/status") or ""
    m = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0

rows = {}
others = []
for pid, args in procs:
    k = kind(args)
    if k == "other":
        others.append(f"{pid} {' '.join(args)[:120]}")
    count, pss, rss = rows.get(k, (0, 0, 0))
    rows[k] = (count + 1, pss + pss_kib(pid), rss + rss_kib(pid))

order = ["api", "worker", "identity", "payments", "router", "migrator", "garnet", "redis-server", "postgres", "dcp", "dashboard",
         "apphost", "launchers (dotnet run)", "other"]
total = sum(v[1] for v in rows.values())
mib = lambda kib: f"{kib / 1024:,.1f}"
print(f"| process kind | processes | PSS MiB | RSS MiB |")
print(f"|---|---:|---:|---:|")
for k in sorted(rows, key=lambda k: order.index(k) if k in order else len(order)):
    n, pss, rss = rows[k]
    print(f"| {k} | {n} | {mib(pss)} | {mib(rss)} |")
print(f"| **total** | {sum(v[0] for v in rows.values())} | **{mib(total)}** ({total / 1024 / 1024:.2f} GiB) | {mib(sum(v[2] for v in rows.values()))} |")
for o in others:
    print(f"other: {o}")
if os.environ.get("FOOTPRINT_DETAIL") == "1":
    print()
    for pid, args in sorted(procs, key=lambda p: -pss_kib(p[0])):
        r = rollup(pid)
        print(f"{pid:>8} {kind(args):<24} {r.get('Pss', 0) / 1024:7.1f} MiB PSS (anon {r.get('Pss_Anon', 0) / 1024:5.1f}, "
              f"shmem {r.get('Pss_Shmem', 0) / 1024:5.1f}, file {r.get('Pss_File', 0) / 1024:5.1f})  {' '.join(args)[:90]}")
PY
}

trap stop_platform EXIT

echo "waiting (at most ${timeout} s) until every service process answers its health check ..."
while :; do
  if ! kill -0 "$launcher" 2>/dev/null; then
    echo "the AppHost exited; last lines of $log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  if status=$(measure health); then break; fi
  if [ $(( $(date +%s) - started )) -ge "$timeout" ]; then
    echo "not ready after ${timeout} s ($status); last lines of $log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  sleep 3
done
ready=$(( $(date +%s) - started ))
# samples at these seconds after ready; the last is the headline (steady idle: tiered JIT has promoted the periodic
# loops' code, Npgsql has pruned idle connections)
samples=(${FOOTPRINT_SETTLE:-30 300})
echo "ready after ${ready} s; sampling at ${samples[*]} s of idle ..."
slept=0
for at in "${samples[@]}"; do
  sleep $(( at > slept ? at - slept : 0 ))
  slept=$at
  echo
  echo "Footprint, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/out' || echo ' + local changes'), \`$command_line\`, ready after ${ready} s, sampled after ${at} s idle:"
  echo
  measure table
done
echo
