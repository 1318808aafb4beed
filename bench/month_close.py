"""Benchmark of the month close (R-M9): compile a month of 200 technicians and 100 000 resolved visits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h10bench .venv/bin/python bench/month_close.py
    .venv/bin/python bench/month_close.py --technicians 200 --visits 100000 --keep   # reuse generated data

The database named in DATABASE_URL is created if missing, migrated, and filled (bulk_create) with one
month of resolved mobile visits (close-outs), answered callbacks and a few complaints and confirmed
penalties; then the month is compiled twice (first run, then the idempotent re-run) and the wall time
and SQL query count of each run are printed. The target is ≤ 5 s on PostgreSQL with the aggregation
done in the database (the rules read grouped rows, never the 100 000 visits one by one).
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(n_tech: int, n_visits: int) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from callbacks.choices import CallbackStatus, Satisfaction, WindowRule
    from callbacks.models import Callback, Complaint
    from dispatch.models import CloseOut
    from penalties.models import Penalty
    from servicedesk.choices import Role, ServiceContent, ServiceMode, WorkOrderStatus
    from servicedesk.models import Client, Site, Staff, WorkOrder

    tz = ZoneInfo("Asia/Shanghai")
    User = get_user_model()
    print(f"generating {n_tech} technicians and {n_visits} visits …", flush=True)
    users = User.objects.bulk_create([User(username=f"bench-mc-{i:04d}", password="!") for i in range(n_tech)])
    users = list(User.objects.filter(username__startswith="bench-mc-").order_by("username"))
    Group.objects.get_or_create(name=Role.TECHNICIAN)[0].user_set.add(*users)
    Staff.objects.bulk_create([Staff(user=u, name=f"技术员{i:03d}", area="福田区") for i, u in enumerate(users)])
    techs = list(Staff.objects.filter(user__in=users).order_by("name"))
    coordinator_user = User.objects.create(username="bench-mc-coord", password="!")
    coordinator = Staff.objects.create(user=coordinator_user, name="协调员")
    clients = Client.objects.bulk_create([Client(name=f"基准客户{i:03d}", kind="retail", department="bidding") for i in range(100)])
    sites = Site.objects.bulk_create([
        Site(client=c, name=f"网点{i}", address=f"深南大道{i}号", area="福田区", contact_name="王", phone="13900000000")
        for i, c in enumerate(clients)
    ])
    kinds = list(ServiceContent.values)
    start = datetime(2026, 10, 1, 9, tzinfo=tz)
    batch = 5000
    for offset in range(0, n_visits, batch):
        orders = []
        for i in range(offset, min(offset + batch, n_visits)):
            site = sites[i % len(sites)]
            orders.append(WorkOrder(
                number=f"BM-{i:07d}", client_id=site.client_id, site=site, contact_name="王", contact_phone="13900000000",
                content=kinds[i % len(kinds)], service_mode=ServiceMode.MOBILE if i % 10 else ServiceMode.TEAM,
                status=WorkOrderStatus.RESOLVED, technician=techs[(i * 7) % n_tech], created_at=start,
            ))
        WorkOrder.objects.bulk_create(orders)
        orders = list(WorkOrder.objects.filter(number__in=[o.number for o in orders]).only("pk", "technician_id", "client_id"))
        closes, callbacks = [], []
        for j, wo in enumerate(orders):
            done = start + timedelta(minutes=((offset + j) * 13) % (29 * 24 * 60))
            closes.append(CloseOut(
                work_order_id=wo.pk, technician_id=wo.technician_id, work_done="维修", fault_cause="老化", advice="无",
                started_at=done - timedelta(hours=1), ended_at=done, signature_name="王", completed_at=done, recorded_at=done,
            ))
            if (offset + j) % 3 == 0:  # a third of the visits were called back
                callbacks.append(Callback(
                    work_order_id=wo.pk, client_id=wo.client_id, technician_id=wo.technician_id, completed_at=done,
                    window_opens_at=done + timedelta(hours=24), due_at=done + timedelta(hours=72),
                    window_rule=WindowRule.FIRST_SERVICE, status=CallbackStatus.DONE, answered_at=done + timedelta(hours=30),
                    satisfaction=Satisfaction.VERY_SATISFIED if (offset + j) % 17 else Satisfaction.SATISFIED,
                ))
        CloseOut.objects.bulk_create(closes)
        Callback.objects.bulk_create(callbacks)
        print(f"  {min(offset + batch, n_visits)} visits", flush=True)
    complaints = [
        Complaint(client=clients[i], technician=techs[i * 5], words="投诉", created_at=start + timedelta(days=3),
                  created_by=coordinator, reply_due_at=start + timedelta(days=4))
        for i in range(min(20, n_tech // 5))
    ]
    Complaint.objects.bulk_create(complaints)
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(WorkOrder)
    first_order = WorkOrder.objects.order_by("pk").values_list("pk", flat=True).first()
    Penalty.objects.bulk_create([
        Penalty(person=techs[i], rule="P7", source_type=ct, source_id=first_order + i, reason="迟到", suggested_points=5,
                points=5, min_points=5, max_points=5, status="confirmed", occurred_on=start.date() + timedelta(days=i % 28),
                parameter={}, parameter_version=1, proposed_at=start)
        for i in range(0, n_tech, 3)
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--technicians", type=int, default=200)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data already generated")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h10bench")
    os.environ["DATABASE_URL"] = url
    if url.startswith("postgres"):
        ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from bonuses import services
    from bonuses.models import Award, MonthClose, Statement
    from dispatch.models import CloseOut

    if not args.keep or not CloseOut.objects.exists():
        if CloseOut.objects.filter(work_order__number__startswith="BM-").exists():
            print("data already there: use --keep, or drop the database first", file=sys.stderr)
            sys.exit(2)
        generate(args.technicians, args.visits)
    month = date(2026, 10, 1)
    now = datetime(2026, 11, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    # start from a month not compiled yet (drafts only; never touches an approved month)
    Award.objects.filter(month=month).delete()
    Statement.objects.filter(month=month).delete()
    MonthClose.objects.filter(month=month).delete()
    print(f"engine: {connection.vendor}; close-outs: {CloseOut.objects.count()}")
    for label in ("first compile", "re-run (idempotent)"):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            result = services.compile_month(month=month, by=None, now=now)
            elapsed = time.perf_counter() - t0
        print(f"{label}: {elapsed:.2f} s, {len(ctx)} SQL queries, {result.statements} statements, "
              f"{result.created} created / {result.updated} updated awards")
    ok = elapsed <= 5.0
    print("target ≤ 5 s:", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
