#!/usr/bin/env bash
# The production stack on this machine under load (docs/scaling.md): gunicorn (2 workers × 4 threads) + a Celery
# worker + beat on PostgreSQL + Redis (broker and shared cache), USERS people working for DURATION (see
# locustfile.py: coordinators polling the board and taking calls, technicians closing orders, finance exporting the
# ledger, managers reading; everyone signs in through the login page). Prints, per endpoint, req/s and p50/p95/p99
# against the goal (p95 <= 300 ms), the CPU seconds per process group, and the database check (nothing lost).
#
# Usage: bash bench/load/run.sh [DURATION=5m] [USERS=50] [SPAWN_RATE=1]   (needs the [load] extra)
#   CODE=/path/to/other/checkout bash bench/load/run.sh …   measures another revision of the code (before/after)
#   with this checkout's load scripts and this checkout's virtualenv.
#   LOAD_THINK=0.1 bash bench/load/run.sh …   ten times less think time: a stress run (locustfile.py)
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$BENCH/../.." && pwd)"
CODE="$(cd "${CODE:-$REPO}" && pwd)"
VENV="$REPO/.venv/bin"
DURATION=${1:-5m}; USERS=${2:-50}; SPAWN=${3:-1}; PORT=${PORT:-8200}; OUT=${OUT:-/tmp/servicedesk-load}
mkdir -p "$OUT"; rm -f "$OUT"/locust_*.csv "$OUT/attempts.json"
cd "$CODE"
echo "think time × ${LOAD_THINK:-1}; code under test: $CODE ($(git -C "$CODE" log --oneline -1 2>/dev/null || echo '?'))"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS loadtest" && psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE loadtest"
export PYTHONPATH="$CODE" DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest
export REDIS_URL=redis://127.0.0.1:6379/14 CACHE_URL=redis://127.0.0.1:6379/15
export DJANGO_PROFILE=production SECRET_KEY=load-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$PORT MEDIA_ROOT="$OUT/media" STATIC_ROOT="$OUT/static"
export API_THROTTLE_USER=100000/minute API_THROTTLE_ANON=100000/minute
redis-cli -n 14 flushdb >/dev/null; redis-cli -n 15 flushdb >/dev/null
"$VENV/python" "$BENCH/setup_load.py" "$OUT/accounts.json"
"$VENV/python" manage.py collectstatic --noinput -v 0
"$VENV/gunicorn" servicedesk.wsgi --chdir "$CODE" --bind 127.0.0.1:$PORT --workers 2 --threads 4 --keep-alive 75 \
    --log-level warning >"$OUT/gunicorn.log" 2>&1 &
GUN=$!
"$VENV/celery" -A servicedesk worker --loglevel WARNING --concurrency 1 >"$OUT/worker.log" 2>&1 &
WORK=$!
"$VENV/celery" -A servicedesk beat --loglevel WARNING -s "$OUT/beat-schedule" >"$OUT/beat.log" 2>&1 &
BEAT=$!
trap 'kill $GUN $WORK $BEAT 2>/dev/null || true' EXIT
for _ in $(seq 30); do curl -sf -H 'X-Forwarded-Proto: https' -o /dev/null http://127.0.0.1:$PORT/accounts/login/ && break; sleep 1; done
sleep 3
"$VENV/python" "$BENCH/cpu.py" snapshot "$OUT/cpu-before.json"
START=$(date +%s)
LOAD_ACCOUNTS="$OUT/accounts.json" LOAD_ATTEMPTS="$OUT/attempts.json" /usr/bin/time -f "%U %S" -o "$OUT/locust.cpu" "$VENV/locust" -f "$BENCH/locustfile.py" --headless -u "$USERS" -r "$SPAWN" -t "$DURATION" \
    --stop-timeout 90 --host http://127.0.0.1:$PORT --csv "$OUT/locust" --only-summary >"$OUT/locust.log" 2>&1 || true
"$VENV/python" "$BENCH/cpu.py" snapshot "$OUT/cpu-after.json"
WALL=$(( $(date +%s) - START ))
echo; echo "== per endpoint (ms), $USERS users for $DURATION"
"$VENV/python" "$BENCH/report.py" "$OUT/locust_stats.csv" || true
echo; echo "== CPU per process group"
"$VENV/python" "$BENCH/cpu.py" diff "$OUT/cpu-before.json" "$OUT/cpu-after.json" "$WALL"
awk -v w="$WALL" '/^[0-9.]+ [0-9.]+$/ { printf "%-26s%9.1f%8.2f   (the load generator, on the same 2 cores)\n", "locust", $1 + $2, ($1 + $2) / w }' "$OUT/locust.cpu"
for _ in $(seq 60); do   # let the worker finish the last export before the database is checked
    left=$(psql -h 127.0.0.1 -U postgres -d loadtest -tAc "SELECT count(*) FROM receivables_exportjob WHERE status NOT IN ('done','failed')")
    [ "$left" = "0" ] && break; sleep 2
done
echo; echo "== database afterwards"
"$VENV/python" "$BENCH/check_load.py" "$OUT/locust_stats.csv" "$OUT/attempts.json"
grep -m5 -i "error\|traceback" "$OUT/gunicorn.log" "$OUT/worker.log" || true
echo "figures: $OUT/locust_stats.csv, logs in $OUT"
