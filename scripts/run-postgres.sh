#!/usr/bin/env bash
# Usage: run-postgres.sh DATADIR [PORT]        (PORT defaults to $PGPORT, then 5432)
# Runs one cell's PostgreSQL server in the foreground as an Aspire executable resource.
#  - Postgres refuses to run as root: as root, drop to the 'postgres' OS user with setpriv (it execs, so signals
#    reach the postmaster).
#  - initdb on first run (loopback only, unix socket inside the data dir).
#  - Passwords everywhere: pg_hba.conf is rewritten at every start (scram-sha-256 for TCP and the socket, nothing
#    trusted), so a data directory created with trust auth by an older version is upgraded in place; the superuser's
#    password (PG_SUPERUSER_PASSWORD, required) is set in single-user mode before the server listens, at every start
#    (changing it and restarting rotates it). Each database's own login role is the migrator's work.
#  - DCP stops executables with SIGTERM, which Postgres treats as a *smart* shutdown (waits for clients): the
#    wrapper turns TERM/INT into SIGINT, a fast shutdown.
#  - PG_DURABLE=false (tests) turns fsync off; the default keeps the data safe across crashes.
set -euo pipefail
DATA="$1"; PORT="${2:-${PGPORT:-5432}}"
PASSWORD="${PG_SUPERUSER_PASSWORD:-}"
if [ -z "$PASSWORD" ] || [[ "$PASSWORD" == *$'\n'* ]]; then
  echo "run-postgres: PG_SUPERUSER_PASSWORD must be set (one line): TCP connections need a password" >&2
  exit 1
fi

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

# every start: passwords only (a trust line of an older data directory goes away), then the superuser's password
cat > "$DATA/pg_hba.conf.new" <<'HBA'
# written by scripts/run-postgres.sh at every start: a password (SCRAM) for every connection, nothing trusted
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  scram-sha-256
host    all       all   127.0.0.1/32   scram-sha-256
host    all       all   ::1/128        scram-sha-256
HBA
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA/pg_hba.conf.new"; fi
chmod 600 "$DATA/pg_hba.conf.new"; mv "$DATA/pg_hba.conf.new" "$DATA/pg_hba.conf"
# single-user mode reads the statement from stdin: the password is in no command line and on no network
printf "ALTER ROLE postgres WITH PASSWORD '%s';\n" "${PASSWORD//\'/\'\'}" \
  | "${AS_PG[@]}" "$BIN/postgres" --single -D "$DATA" -c password_encryption=scram-sha-256 postgres >/dev/null \
  || { echo "run-postgres: could not set the superuser's password" >&2; exit 1; }

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
