"""Benchmark of the receivable-ledger export (R-S8): N confirmations → xlsx, rows/s and peak memory.

    .venv/bin/python bench/export_receivables.py --rows 100000
    .venv/bin/python bench/export_receivables.py --rows 100000 --db configured   # use DATABASE_URL instead

By default a throwaway SQLite database in a temp dir is created and migrated, the rows are generated with
bulk_create, and the export is run twice: once plain (wall time, process peak RSS) and once under tracemalloc
(peak Python heap of the export).
"""
import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["temp", "configured"], default="temp")
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--no-tracemalloc", action="store_true")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-receivables-")
    if args.db == "temp":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.db == "temp":
        print("migrating a throwaway SQLite database …", flush=True)
        call_command("migrate", verbosity=0)

    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from receivables import excel
    from receivables.choices import ConfirmationStatus, PaymentTerms
    from receivables.models import SalesConfirmation
    from servicedesk.choices import ClientKind, Department, Role
    from servicedesk.models import Client, Staff

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 12, 1, 9, tzinfo=tz)
    User = get_user_model()
    techs = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"bench-tech-{i}")
        staff, _ = Staff.objects.get_or_create(user=user, defaults={"name": f"技术员{i:02d}"})
        user.groups.add(Group.objects.get_or_create(name=Role.TECHNICIAN)[0])
        techs.append(staff)
    clients = [
        Client.objects.get_or_create(
            name=f"基准客户{i:03d}",
            defaults={"kind": ClientKind.KEY_ACCOUNT if i % 5 == 0 else ClientKind.RETAIL, "department": Department.BIDDING},
        )[0]
        for i in range(200)
    ]
    SalesConfirmation.objects.filter(number__startswith="BENCH-").delete()

    t0 = time.perf_counter()
    batch, n = [], args.rows
    start = date(2026, 1, 5)
    for i in range(n):
        c = clients[i % len(clients)]
        sold = start + timedelta(days=i % 330)
        amount = Decimal(100 + (i % 5000)) + Decimal(i % 100) / 100
        received = amount if i % 4 == 0 else (amount / 2).quantize(Decimal("0.01")) if i % 4 == 1 else Decimal("0.00")
        due = sold + timedelta(days=10)
        batch.append(
            SalesConfirmation(
                number=f"BENCH-{i:07d}", client=c, client_kind=c.kind, technician=techs[i % len(techs)], sold_on=sold,
                payment_terms=PaymentTerms.MONTHLY_STATEMENT if c.kind == ClientKind.KEY_ACCOUNT else PaymentTerms.WORKING_DAYS,
                amount=amount, received_amount=received, due_date=due, original_due_date=due,
                status=ConfirmationStatus.REGISTERED, registered_at=now, created_at=now,
            )
        )
        if len(batch) == 5000:
            SalesConfirmation.objects.bulk_create(batch)
            batch = []
    if batch:
        SalesConfirmation.objects.bulk_create(batch)
    print(f"generated {n} confirmations in {time.perf_counter() - t0:.1f} s", flush=True)

    out = Path(tmp) / "ledger.xlsx"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = excel.export_ledger(out=str(out), as_of=date(2026, 12, 10), chunk_size=args.chunk_size)
    elapsed = time.perf_counter() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"export: {result.rows} rows in {elapsed:.1f} s = {result.rows / elapsed:,.0f} rows/s; "
          f"file {out.stat().st_size / 1e6:.1f} MB; outstanding ¥{result.outstanding:,}")
    print(f"process peak RSS: {rss_after:.0f} MB (before export {rss_before:.0f} MB; whole process incl. Django and the data generation)")

    if not args.no_tracemalloc:
        tracemalloc.start()
        t0 = time.perf_counter()
        excel.export_ledger(out=str(out), as_of=date(2026, 12, 10), chunk_size=args.chunk_size)
        traced = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak of the export itself: {peak / 2**20:.1f} MB (traced run {traced:.1f} s)")
    ok = rss_after < 200
    print("PASS: peak memory under 200 MB" if ok else "FAIL: peak memory ≥ 200 MB")
    if args.db == "configured":
        SalesConfirmation.objects.filter(number__startswith="BENCH-").delete()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
