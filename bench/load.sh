#!/usr/bin/env bash
# Load test of the main pages at national scale (README, "Benchmarks"):
#
#   bench/load.sh
#
# Runs the portal under gunicorn against PostgreSQL, in a scratch database (LOAD_DATABASE_URL,
# default ncm_load) created, migrated and seeded with `seed_demo --scale 32` when missing; signs in
# as the secretariat demo user; drives each main page for LOAD_DURATION seconds (default 15) with
# LOAD_CONNECTIONS (16) connections from wrk, quiet, then again while a million-row customs ingest
# and Article 15 PDF renders run in the background at a Celery worker's CPU priority (rolled back:
# nothing is kept). Prints p50 and
# p95 per page; the last line is one JSON object (p95_ms, p95_ms_max, p95_ms_background, ...).
# Needs wrk (Debian: apt-get install -y wrk) and a PostgreSQL server. Targets: p95 under 200 ms
# quiet, under 600 ms with the background work.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
DURATION=${LOAD_DURATION:-15}
CONNECTIONS=${LOAD_CONNECTIONS:-16}
THREADS=${LOAD_THREADS:-2}
WORKERS=${LOAD_WORKERS:-3}  # as in docker-compose.yml
PORT=${LOAD_PORT:-8077}
BASE="http://127.0.0.1:${PORT}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ncm_load}
# Persistent connections, as in production (README): a new PostgreSQL backend per request costs
# more than most pages.
case "$DATABASE_URL" in *conn_max_age=*) ;; *\?*) DATABASE_URL="$DATABASE_URL&conn_max_age=60" ;;
  *) DATABASE_URL="$DATABASE_URL?conn_max_age=60" ;; esac
export DJANGO_SETTINGS_MODULE=ncm_portal.settings
export DJANGO_SECRET_KEY=load-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz
export DJANGO_DEBUG=0 DJANGO_HTTPS=0 DJANGO_STATIC_MANIFEST=0 LOG_LEVEL=WARNING
# The bench signs in with the demo password alone, as bench/profile_pages.py does: a second step
# would stop it at the set-up page.
export NCM_REQUIRE_TWO_FACTOR=0
export MEDIA_ROOT=${LOAD_MEDIA_ROOT:-$PWD/var/load-media}
if [ -n "${LOAD_REDIS_URL:-}" ]; then export REDIS_URL=$LOAD_REDIS_URL; else unset REDIS_URL; fi

OUT=$(mktemp -d "${TMPDIR:-/tmp}/ncm-load-XXXXXX")
SERVER=""
WORK=""
cleanup() {
  [ -n "$WORK" ] && kill -TERM "$WORK" 2>/dev/null && wait "$WORK" 2>/dev/null || true
  [ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT

"$PY" bench/load.py prepare

"$GUNICORN" ncm_portal.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
  --timeout 120 --log-level warning >"$OUT/gunicorn.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$BASE/healthz" >/dev/null

echo "Signing in and checking the pages ..."
"$PY" bench/load.py login "$BASE" "$OUT/pages.json"
COOKIE=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["cookie"])' "$OUT/pages.json")
mapfile -t PAGES < <("$PY" -c 'import json,sys
for p in json.load(open(sys.argv[1]))["pages"]: print(p["name"], p["path"])' "$OUT/pages.json")
printf '{"connections": %s, "threads": %s, "gunicorn_workers": %s, "seconds_per_page": %s}\n' \
  "$CONNECTIONS" "$THREADS" "$WORKERS" "$DURATION" >"$OUT/settings.json"

drive() {  # phase name path seconds
  LOAD_COOKIE="$COOKIE" LOAD_OUT="$OUT/$1-$2.json" wrk -t "$THREADS" -c "$CONNECTIONS" \
    -d "${4}s" --timeout 30s -s bench/load.lua "$BASE$3" >"$OUT/$1-$2.txt"
}

echo "Warming up ..."
for page in "${PAGES[@]}"; do drive warm ${page% *} ${page#* } 3; done

echo "Quiet: ${DURATION} s a page, ${CONNECTIONS} connections ..."
for page in "${PAGES[@]}"; do
  drive quiet ${page% *} ${page#* } "$DURATION"
  echo "  ${page% *}: $(cat "$OUT/quiet-${page% *}.json")"
done

echo "Busy: the same while a million-row ingest and PDF renders run ..."
"$PY" bench/load.py background "$OUT/background.json" >"$OUT/background.log" 2>&1 &
WORK=$!
for _ in $(seq 1 300); do
  [ -f "$OUT/background.ready" ] && break
  kill -0 "$WORK" 2>/dev/null || { cat "$OUT/background.log" >&2; exit 1; }
  sleep 1
done
for page in "${PAGES[@]}"; do
  drive busy ${page% *} ${page#* } "$DURATION"
  echo "  ${page% *}: $(cat "$OUT/busy-${page% *}.json")"
done
kill -TERM "$WORK"
wait "$WORK" || true
WORK=""

"$PY" bench/load.py report "$OUT"
