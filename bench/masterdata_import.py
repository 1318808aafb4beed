"""Benchmark of the master-data import (a department's workbook: clients, one site each, their devices).

    .venv/bin/python bench/masterdata_import.py                     # 2 000 clients, 10 000 devices
    .venv/bin/python bench/masterdata_import.py --clients 500 --devices-per-client 4

A throwaway SQLite database is migrated; the workbook is built with openpyxl (write-only). Then, in the same run:

  baseline   a bare `bulk_create` of the same clients, sites and devices (already parsed Python objects, no
             reading, no checks, no history), rolled back
  read       reading the upload alone (zip check, openpyxl read-only stream, datasets)
  preview    the dry run: read, every row checked and written in the transaction, rolled back
  import     the same, kept (all rows or nothing), with the history rows
  re-import  the same file again: every row unchanged, nothing written

Prints seconds, rows/s, queries and each step's ratio to the baseline (this kind of machine is shared and noisy:
compare ratios, not seconds). Decision it supports: the department's workbook is imported within the request.
"""
import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--devices-per-client", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-masterdata-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    print("migrating a throwaway SQLite database …", flush=True)
    call_command("migrate", verbosity=0)

    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from servicedesk.masterdata import services
    from servicedesk.masterdata.reading import read_upload
    from servicedesk.models import Client, Equipment, Site
    from servicedesk.services import create_staff
    from tests.masterdata.workbook import department_rows, workbook

    now = datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    admin = create_staff(username="bench-admin", name="行政", roles=["admin"], now=now).user
    admin.is_superuser = True
    rows = department_rows(args.clients, args.devices_per_client)
    content = workbook(rows).getvalue()
    total = sum(len(v) for v in rows.values())

    def upload():
        f = io.BytesIO(content)
        f.name = "department.xlsx"
        return f

    def timed(label, fn):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            seconds = time.perf_counter() - started
        return label, seconds, len(queries)

    def baseline():
        from datetime import date

        with transaction.atomic():
            clients = Client.objects.bulk_create(
                [Client(name=r[0], department="key_account" if r[1] == "大客户部" else "bidding",
                        kind="key_account" if r[2] == "大客户" else "retail", phone=r[3]) for r in rows["客户"]], batch_size=1000)
            by_name = {c.name: c for c in clients}
            sites = Site.objects.bulk_create(
                [Site(client=by_name[r[0]], name=r[1], address=r[2], area=r[3], contact_name=r[4], phone=r[5]) for r in rows["网点"]],
                batch_size=1000)
            site_of = {s.client_id: s for s in sites}

            def day(v):
                return v.date() if isinstance(v, datetime) else date.fromisoformat(v)

            Equipment.objects.bulk_create(
                [Equipment(client=by_name[r[0]], site=site_of[by_name[r[0]].pk], model=r[2], serial=r[3], manufacturer=r[4],
                           quantity=r[5], installed_on=day(r[6]), manufacturer_warranty_end=day(r[7]), company_warranty_end=day(r[8]))
                 for r in rows["设备"]], batch_size=1000)
            transaction.set_rollback(True)

    results = [
        timed("baseline (bare bulk_create)", baseline),
        timed("read the upload", lambda: read_upload(upload())),
        timed("preview (dry run)", lambda: services.preview(file=upload(), by=admin, now=now)),
        timed("import", lambda: services.import_file(file=upload(), by=admin, now=now)),
        timed("re-import (all unchanged)", lambda: services.import_file(file=upload(), by=admin, now=now)),
    ]
    assert Equipment.objects.count() == args.clients * args.devices_per_client
    base = results[0][1]
    print(f"\n{total} rows ({args.clients} clients, {args.clients} sites, {args.clients * args.devices_per_client} devices)")
    print(f"{'step':32} {'seconds':>8} {'rows/s':>9} {'queries':>8} {'× baseline':>11}")
    for label, seconds, queries in results:
        print(f"{label:32} {seconds:8.2f} {total / seconds:9.0f} {queries:8d} {seconds / base:11.1f}")


if __name__ == "__main__":
    main()
