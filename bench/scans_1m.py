"""Benchmark of the every-minute SLA breach scan (R-W7) at history scale: docs/developers.md rule 3 — the scan reads
its rows through a partial index, so its cost must not grow with months of history.

    .venv/bin/python bench/scans_1m.py                 # 1 000 000 deadline rows, 1 000 due
    .venv/bin/python bench/scans_1m.py --rows 200000   # smaller

Needs PostgreSQL (127.0.0.1:5432, trust). It (re)creates the database `bench_scans`, migrates it, seeds the
history with `generate_series` (met in time, breached, cancelled — what months of dispatch leave behind),
then measures, in the same run:
  1. the steady-state tick (nothing due): median of 20 ticks, and its plan (must use `deadline_breach_scan`);
  2. a tick that finds `--due` rows past due: wall time and number of SQL queries;
  3. the baseline: the same breach-candidate query with the partial index dropped (what the scan cost before),
and prints the ratios. Figures vary with the machine; compare ratios within one run.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "bench_scans"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    subprocess.run(["psql", "-h", args.host, "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", "-h", args.host, "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from dispatch.services import scans
    from servicedesk.choices import Role
    from servicedesk.models import Client, Site, Staff, WorkOrder
    from django.contrib.auth.models import Group, User

    now = timezone.now().replace(microsecond=0)
    user = User.objects.create(username="bench-tech")
    user.groups.add(Group.objects.get_or_create(name=Role.TECHNICIAN)[0])
    tech = Staff.objects.create(user=user, name="压测技术员", phone="13800000000")
    client = Client.objects.create(name="压测客户", kind="retail", department="bidding")
    site = Site.objects.create(client=client, name="总部", address="测试路 1 号", area="测试区", contact_name="甲", phone="13800000001")
    wos = WorkOrder.objects.bulk_create(
        WorkOrder(number=f"B{i:07d}", client=client, site=site, content="repair", contact_name="甲", contact_phone="13800000001",
                  required_at=now, created_at=now, description="压测")
        for i in range(1000)
    )
    first_wo = wos[0].pk
    t = time.perf_counter()
    with connection.cursor() as cur:
        # history: 90 % met in time, 8 % breached, 2 % cancelled; due dates spread over the past two years
        cur.execute(
            f"""
            INSERT INTO dispatch_deadline (work_order_id, kind, rule, technician_id, starts_at, due_at, met_at,
                                           cancelled_at, breached_at, explanation)
            SELECT {first_wo} + (g %% 1000), CASE WHEN g %% 2 = 0 THEN 'mobile_depart' ELSE 'contact_client' END,
                   CASE WHEN g %% 2 = 0 THEN 'R-W4' ELSE 'R-W6' END, %s,
                   %s - (g || ' minutes')::interval - interval '10 minutes', %s - (g || ' minutes')::interval,
                   CASE WHEN g %% 100 < 90 THEN %s - (g || ' minutes')::interval - interval '1 minute' END,
                   CASE WHEN g %% 100 >= 98 THEN %s - (g || ' minutes')::interval END,
                   CASE WHEN g %% 100 BETWEEN 90 AND 97 THEN %s - (g || ' minutes')::interval + interval '1 minute' END,
                   '{{}}'::jsonb
            FROM generate_series(1, %s) AS g
            """,
            [tech.pk, now, now, now, now, now, args.rows],
        )
        cur.execute("ANALYZE dispatch_deadline")
    print(f"seeded {args.rows:,} deadline rows in {time.perf_counter() - t:.1f} s")

    def tick_times(n=20):
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            scans.mark_breaches(now=now)
            out.append(time.perf_counter() - t0)
        return statistics.median(out)

    steady = tick_times()
    with connection.cursor() as cur:
        from dispatch.models import Deadline

        sql, params = Deadline.objects.breach_candidates(now=now).order_by("due_at").query.sql_with_params()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    print(f"\n1. steady-state tick (nothing due): {steady * 1000:.1f} ms (goal ≤ 20 ms)\n{plan}\n")

    # 2. a tick with --due rows past due
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO dispatch_deadline (work_order_id, kind, rule, technician_id, starts_at, due_at, explanation)
            SELECT {first_wo} + (g %% 1000), 'mobile_depart', 'R-W4', %s, %s - interval '20 minutes', %s - interval '5 minutes', '{{}}'::jsonb
            FROM generate_series(1, %s) AS g
            """,
            [tech.pk, now, now, args.due],
        )
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        marked = scans.mark_breaches(now=now)
    due_time = time.perf_counter() - t0
    print(f"2. tick with {len(marked):,} due rows: {due_time:.2f} s, {len(ctx.captured_queries)} SQL queries (goal ≤ 1 s, constant)")

    # 3. baseline: the same scan without the partial index
    with connection.cursor() as cur:
        cur.execute("DROP INDEX deadline_breach_scan")
        cur.execute("ANALYZE dispatch_deadline")
    base = tick_times(5)
    print(f"3. baseline without the partial index: {base * 1000:.1f} ms per tick")
    print(f"\nratio steady tick / no-index tick: {steady / base:.3f}  (= {base / steady:.0f} × faster)")


if __name__ == "__main__":
    main()
