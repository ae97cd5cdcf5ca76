#!/usr/bin/env bash
# Throughput of the directory, the search, profile pages and the setup library
# under load, against /healthz as the ceiling.
#
# Serves the app with gunicorn on 127.0.0.1 (2 x cores + 1 sync workers,
# DEBUG off, static files collected into a temporary STATIC_ROOT) against the
# bench database, and drives each request mix with wrk for a bounded time.
# Prints requests/s, the ratio to /healthz and the non-2xx answers (3xx count
# as errors too).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/apex_bench_scale bench/load.sh
#
# Options (environment): DURATION (default 15s), CONNECTIONS (16),
# THREADS (2), PORT (8765), WORKERS (2 x cores + 1).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/apex_bench_scale}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-8765}
CORES=$(nproc)
WORKERS=${WORKERS:-$((2 * CORES + 1))}
BASE="http://127.0.0.1:$PORT"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "wrk is missing: installing it with apt-get." >&2
        apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else
        echo "wrk is missing. Install it (Debian/Ubuntu: sudo apt-get install -y wrk) and run again." >&2
        exit 1
    fi
fi
case "$DATABASE_URL" in
    postgres*) ;;
    *) echo "DATABASE_URL must point at the PostgreSQL bench database." >&2; exit 1 ;;
esac

WORK=$(mktemp -d)
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Production-like settings; STATIC_ROOT is fixed in apex/settings.py, so a
# two-line settings module points it at the temporary directory.
cat >"$WORK/load_settings.py" <<EOF
from apex.settings import *  # noqa: F403

STATIC_ROOT = "$WORK/static"
EOF
export PYTHONPATH="$WORK:$ROOT" DJANGO_SETTINGS_MODULE=load_settings DATABASE_URL
export DEBUG=0 SECRET_KEY=load-test-only-secret-key-0123456789abcdefghijklmnop ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export REQUEST_LOG_LEVEL=WARNING LOG_LEVEL=WARNING
# Persistent database connections, as a deployment runs (without them every
# request pays a new PostgreSQL connection, /healthz included).
export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}

"$PY" "$ROOT/manage.py" collectstatic --noinput -v0

# Request mixes. Search words: common and rare, 3+ letters and 1-2 letters.
SEARCH=(ann son max lewis kubica zzq verstappen ham a ma q zx 70004113)
django_print() { "$PY" "$ROOT/manage.py" shell -v0 -c "$1" 2>/dev/null; }
DETAILS=$(django_print "
from sims.models import SimProfile
for p in SimProfile.objects.public().select_related('simulator').order_by('profile_identifier')[:20000:100]:
    print(p.get_absolute_url())")
CURSOR=$(django_print "
from urllib.parse import urlencode
from sims.models import SimProfile
from apex.pagination import KEYSET_PAGE_SIZE as PAGE_SIZE, _cursor
row = SimProfile.objects.public().order_by('-updated_at', '-id')[499 * PAGE_SIZE - 1]
print(urlencode({'after': _cursor(row), 'page': 500}))")
[ -n "$DETAILS" ] && [ -n "$CURSOR" ] || { echo "No bench data in $DATABASE_URL: run bench/generate_data.py first." >&2; exit 1; }

lua_paths() {  # name, then paths: a wrk script that rotates over them and counts 3xx answers
    local name=$1; shift
    {
        echo "local paths = {"
        for p in "$@"; do printf '  "%s",\n' "$p"; done
        cat <<'EOF'
}
local threads = {}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) redirects = 0; i = math.random(#paths) end
function request() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
function response(status, headers, body) if status >= 300 and status < 400 then redirects = redirects + 1 end end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("redirects") end
  io.write(string.format("3xx responses: %d\n", n))
  io.write(string.format("Latency p50/p95/p99 ms: %.1f %.1f %.1f\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
EOF
    } >"$WORK/$name.lua"
}
search_paths=(); for q in "${SEARCH[@]}"; do search_paths+=("/profiles/search/?q=$q"); done
lua_paths healthz /healthz
lua_paths browse /profiles/ "/profiles/?$CURSOR" /profiles/iracing/ /profiles/acc/ /profiles/gt7/
lua_paths search "${search_paths[@]}"
lua_paths detail $DETAILS
lua_paths library /library/ "/library/?q=monza" "/library/?q=porsche+gt3" "/library/?q=wet&brand=BMW" \
    "/library/?track=Monza&brand=Porsche" "/library/?q=gt4&track=Spa-Francorchamps" "/library/?page=500" \
    "/library/?q=zzq" "/library/?q=mo"
lua_paths mix /profiles/ "${search_paths[@]:0:6}" $(echo "$DETAILS" | head -5) "/library/?q=monza" /library/

"$ROOT/.venv/bin/gunicorn" apex.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --worker-class sync --log-level warning --error-logfile "$WORK/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 50); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$BASE/healthz" >/dev/null || { echo "gunicorn did not start:" >&2; cat "$WORK/gunicorn.log" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'); $CORES cores; $WORKERS gunicorn workers;" \
    "wrk -t$THREADS -c$CONNECTIONS -d$DURATION per run"
echo
echo "| run | requests/s | vs /healthz | p50 ms | p95 ms | p99 ms | non-2xx (incl. 3xx) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
ceiling=""
errors_total=0
for name in healthz browse search detail library mix; do
    # A short warm-up per run fills the workers' caches and connections.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/$name.lua" "$BASE" >/dev/null
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/$name.lua" "$BASE")
    echo "$out" >"$WORK/$name.out"
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
    redirects=$(awk '/^3xx responses:/ {print $NF}' <<<"$out"); redirects=${redirects:-0}
    socket=$(awk -F'[ ,]+' '/Socket errors:/ {print $5 + $7 + $9 + $11}' <<<"$out"); socket=${socket:-0}
    read -r p50 p95 p99 < <(awk '/^Latency p50/ {print $(NF-2), $(NF-1), $NF}' <<<"$out")
    errors=$((non2xx + redirects + socket))
    errors_total=$((errors_total + errors))
    [ -z "$ceiling" ] && ceiling=$rps
    ratio=$(awk -v a="$rps" -v b="$ceiling" 'BEGIN {printf "%.0f%%", 100 * a / b}')
    echo "| $name | $rps | $ratio | $p50 | $p95 | $p99 | $errors |"
done
echo
echo "Errors over all runs: $errors_total (wrk's Non-2xx, 3xx answers and socket errors)."
if [ -s "$WORK/gunicorn.log" ]; then echo "gunicorn log:"; tail -20 "$WORK/gunicorn.log"; fi
