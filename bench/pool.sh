#!/usr/bin/env bash
# PostgreSQL connection pooling (DATABASE_POOL=1, Django's psycopg pool)
# against persistent connections (DB_CONN_MAX_AGE=60), in one run.
#
# Serves the app with the image's start script (deploy/start.sh: gunicorn,
# gevent workers) on 127.0.0.1, DEBUG off, the public-page cache off so
# every request reaches the database, on a scratch database with the demo
# data, and drives the same request mix with wrk once per mode, the modes
# alternating ROUNDS times. Prints requests/s, latency, errors and the most
# PostgreSQL connections the app held at once.
#
#   bench/pool.sh
#
# PORT defaults to a free port.
#
# Options (environment): PGURL (postgres://postgres@127.0.0.1:5432), DURATION
# (15s), CONNECTIONS (64), THREADS (2), ROUNDS (2), WEB_CONCURRENCY (2),
# DATABASE_POOL_MAX_SIZE (10).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
DB=apex_server_bench_pool
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
# A free port, so the run never measures somebody else's server.
PORT=${PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install -y wrk)." >&2; exit 1; }

WORK=$(mktemp -d)
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}
cleanup() { stop_server; [ -n "${KEEP:-}" ] || psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql "$PGURL/postgres" -qc "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="$PGURL/$DB" DEBUG=0 SECRET_KEY=pool-bench-only-secret-key-0123456789abcdefghijklmnop
export STATIC_ROOT="$WORK/static" ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0
export CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 LOG_LEVEL=WARNING REQUEST_LOG_LEVEL=WARNING
export PUBLIC_PAGE_CACHE_SECONDS=0 PATH="$ROOT/.venv/bin:$PATH" HOST=127.0.0.1 PORT
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo_data >/dev/null
"$PY" manage.py collectstatic --noinput -v0

cat >"$WORK/mix.lua" <<'LUA'
local paths = {"/profiles/", "/profiles/search/?q=a", "/library/", "/library/?q=dry", "/healthz"}
local i = 0
function init(args) i = math.random(#paths) end
function request() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
function done(summary, latency, requests)
  io.write(string.format("Latency p50/p95/p99 ms: %.1f %.1f %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA

backends() { psql "$PGURL/postgres" -tAc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'"; }

run() {  # mode (one word), label, then environment assignments
    local mode=$1 name=$2; shift 2
    env "$@" sh deploy/start.sh 2>"$WORK/$mode.log" &
    SERVER_PID=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "gunicorn did not start:" >&2; cat "$WORK/$mode.log" >&2; exit 1; }
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/mix.lua" "http://127.0.0.1:$PORT" >/dev/null
    local peak
    ( while sleep 0.5; do backends || true; done ) >"$WORK/$mode.conns" &
    local sampler=$!
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$WORK/mix.lua" "http://127.0.0.1:$PORT")
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    peak=$(sort -n "$WORK/$mode.conns" | tail -1)
    stop_server
    local rps p50 p95 p99 non2xx socket
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    read -r p50 p95 p99 < <(awk '/^Latency p50/ {print $(NF-2), $(NF-1), $NF}' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
    socket=$(awk -F'[ ,]+' '/Socket errors:/ {print $5 + $7 + $9 + $11}' <<<"$out"); socket=${socket:-0}
    echo "| $name | $rps | $p50 | $p95 | $p99 | $((non2xx + socket)) | ${peak:-?} |"
}

echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'); $(nproc) cores;" \
    "WEB_CONCURRENCY=${WEB_CONCURRENCY:-2} gevent workers; wrk -t$THREADS -c$CONNECTIONS -d$DURATION per run"
echo
echo "| mode | requests/s | p50 ms | p95 ms | p99 ms | errors (non-2xx + socket) | peak PostgreSQL connections |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for _ in $(seq "$ROUNDS"); do
    run persistent "persistent (DB_CONN_MAX_AGE=60)" DB_CONN_MAX_AGE=60 DATABASE_POOL=0
    run pool "pool (DATABASE_POOL=1, max ${DATABASE_POOL_MAX_SIZE:-10} a worker)" DB_CONN_MAX_AGE=0 DATABASE_POOL=1
done
echo
echo "# end $(uptime | sed 's/.*load/load/')"
