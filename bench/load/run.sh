#!/usr/bin/env bash
# The production stack on this machine under load (docs/scaling.md): gunicorn (2 workers) + Celery worker + beat on
# PostgreSQL + Redis, 50 users (coordinators and technicians) for DURATION, an export and the beat scans meanwhile.
# Usage: bash bench/load/run.sh [DURATION=5m] [USERS=50]     (needs the [load] extra: pip install -e '.[load]')
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-5m}; USERS=${2:-50}; PORT=8200; OUT=${OUT:-/tmp/servicedesk-load}
mkdir -p "$OUT"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS loadtest" && psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE loadtest"
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest REDIS_URL=redis://127.0.0.1:6379/14
export DJANGO_PROFILE=production SECRET_KEY=load-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export API_THROTTLE_USER=100000/minute API_THROTTLE_ANON=100000/minute
redis-cli -n 14 flushdb >/dev/null
.venv/bin/python bench/load/setup_load.py "$OUT/accounts.json"
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/gunicorn servicedesk.wsgi --bind 127.0.0.1:$PORT --workers 2 --threads 4 --keep-alive 75 --log-level warning >"$OUT/gunicorn.log" 2>&1 &
GUN=$!
.venv/bin/celery -A servicedesk worker --loglevel WARNING --concurrency 1 >"$OUT/worker.log" 2>&1 &
WORK=$!
.venv/bin/celery -A servicedesk beat --loglevel WARNING -s "$OUT/beat-schedule" >"$OUT/beat.log" 2>&1 &
BEAT=$!
trap 'kill $GUN $WORK $BEAT 2>/dev/null || true' EXIT
for _ in $(seq 30); do curl -sf -H 'X-Forwarded-Proto: https' -o /dev/null http://127.0.0.1:$PORT/accounts/login/ && break; sleep 1; done
# an export while the load runs: finance's ledger export job, queued to Redis and written by the worker
( sleep 20; .venv/bin/python - <<'PY' >"$OUT/export.log" 2>&1
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings"); django.setup()
from django.utils import timezone
from receivables import services
from servicedesk.models import Staff
job = services.start_export_job(filters={}, as_of=timezone.localdate(), by=Staff.objects.get(user__username="lf"), now=timezone.now())
print("export job", job.pk, "queued")
PY
) &
LOAD_ACCOUNTS="$OUT/accounts.json" .venv/bin/locust -f bench/load/locustfile.py --headless -u "$USERS" -r 10 -t "$DURATION" \
    --host http://127.0.0.1:$PORT --csv "$OUT/locust" --only-summary 2>&1 | tail -30 || true
sleep 5   # let the last beat tick and the worker finish
.venv/bin/python bench/load/check_load.py
.venv/bin/python - <<'PY'
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings"); django.setup()
from receivables.models import ExportJob
for job in ExportJob.objects.all():
    print("export job", job.pk, job.status, job.done, "of", job.total, "rows", job.error[:200])
PY
echo "figures: $OUT/locust_stats.csv (p95 column), logs in $OUT"
