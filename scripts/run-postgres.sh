#!/usr/bin/env bash
# Usage: run-postgres.sh DATADIR [PORT]        (PORT defaults to $PGPORT, then 5432)
# Runs one cell's PostgreSQL server in the foreground as an Aspire executable resource.
#  - Postgres refuses to run as root: as root, drop to the 'postgres' OS user with setpriv (it execs, so signals
#    reach the postmaster).
#  - initdb on first run (trust auth, loopback only, unix socket inside the data dir).
#  - DCP stops executables with SIGTERM, which Postgres treats as a *smart* shutdown (waits for clients): the
#    wrapper turns TERM/INT into SIGINT, a fast shutdown.
#  - PG_DURABLE=false (tests) turns fsync off; the default keeps the data safe across crashes.
set -euo pipefail
DATA="$1"; PORT="${2:-${PGPORT:-5432}}"

if [ -n "${PG_BIN:-}" ]; then BIN="$PG_BIN"
elif command -v initdb >/dev/null 2>&1; then BIN="$(dirname "$(readlink -f "$(command -v initdb)")")"
else BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$BIN/postgres" ] || { echo "run-postgres: no PostgreSQL server found (install Debian's postgresql package)" >&2; exit 1; }

AS_PG=()
if [ "$(id -u)" = 0 ]; then
  AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups -- env HOME=/var/lib/postgresql)
  mkdir -p "$DATA"; chown postgres:postgres "$DATA"; chmod 700 "$DATA"
  if ! "${AS_PG[@]}" test -w "$DATA"; then
    echo "run-postgres: the postgres user cannot reach $DATA (a parent directory is not traversable);" >&2
    echo "run-postgres: set TicketAspire__DataDir to a directory it can reach, e.g. /var/tmp/ticketaspire" >&2
    exit 1
  fi
else
  mkdir -p "$DATA"
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
  echo "run-postgres: initdb $DATA"
  "${AS_PG[@]}" "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi

DURABILITY=()
if [ "${PG_DURABLE:-true}" = false ]; then
  DURABILITY=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
fi

echo "run-postgres: starting postgres on 127.0.0.1:$PORT data=$DATA durable=${PG_DURABLE:-true}"
# No shell function here: with `fn ... &` bash forks a subshell and $! is that subshell, so the signal would never
# reach the postmaster. setpriv and env exec, so $! *is* the postmaster.
"${AS_PG[@]}" "$BIN/postgres" -D "$DATA" -p "$PORT" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories="$DATA" \
  -c max_connections=400 -c shared_buffers=256MB "${DURABILITY[@]}" 2>&1 &
pid=$!
trap 'echo "run-postgres: stop requested -> fast shutdown"; kill -INT "$pid" 2>/dev/null || true' TERM INT
rc=0
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || rc=$?; done
echo "run-postgres: postgres exited rc=$rc"
exit "$rc"
