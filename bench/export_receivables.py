"""Benchmark of the receivable-ledger export (R-S8): the contenders side by side on the same rows.

    .venv/bin/python bench/export_receivables.py --rows 100000
    .venv/bin/python bench/export_receivables.py --rows 20000 --contenders xlsxwriter,product
    DATABASE_URL=postgres://… .venv/bin/python bench/export_receivables.py --db configured --repeat 3

A throwaway SQLite database is created in a temp dir (or, with --db configured, DATABASE_URL is used: an empty
PostgreSQL database, migrated here), migrated and filled with N confirmations (bulk_create). With --repeat the
contenders run interleaved (xlsxwriter, product, xlsxwriter, product, …) so a busy machine slows both alike. Then each contender runs in its own child process (so each has its own peak RSS) and
reads the same rows — the ledger query's `.values()` (`receivables.selectors.ledger_rows`):

  xlsxwriter  bare XlsxWriter constant_memory: the row's values, money and date formats, nothing else
  openpyxl    bare openpyxl write-only: the same
  import_export  django-import-export's xlsx export of a ModelResource ("what a user would pick instead")
  product     the product's export (`receivables.ledger_export.export_ledger`, XlsxWriter through
              servicedesk.exports): as-of/filters header, formula-injection escaping, outstanding formula per
              row, SUBTOTAL totals, ageing per client, subtotals per technician and salesperson

Prints seconds, rows/s, peak RSS per contender and the ratios to bare XlsxWriter.
Goal (R-S8, docs/developers.md "Benchmarks"): product ≤ 1.2 × bare XlsxWriter; peak memory ≤ 200 MB.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = "2026-12-10"
CONTENDERS = ["xlsxwriter", "openpyxl", "import_export", "product"]


def setup_django(db_path: str):
    if db_path != "configured":  # --db configured: DATABASE_URL as given (PostgreSQL)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()


def seed(n: int):
    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from receivables.choices import ConfirmationStatus, PaymentTerms
    from receivables.models import SalesConfirmation
    from servicedesk.choices import ClientKind, Department, Role
    from servicedesk.models import Client, Staff

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 12, 1, 9, tzinfo=tz)
    User = get_user_model()
    techs, sales = [], []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"bench-tech-{i}")
        staff, _ = Staff.objects.get_or_create(user=user, defaults={"name": f"技术员{i:02d}"})
        user.groups.add(Group.objects.get_or_create(name=Role.TECHNICIAN)[0])
        techs.append(staff)
    for i in range(8):
        user, _ = User.objects.get_or_create(username=f"bench-sales-{i}")
        staff, _ = Staff.objects.get_or_create(user=user, defaults={"name": f"业务员{i:02d}"})
        user.groups.add(Group.objects.get_or_create(name=Role.SALES)[0])
        sales.append(staff)
    clients = [
        Client.objects.get_or_create(
            name=(f"=HYPERLINK(\"x\",\"基准客户{i:03d}\")" if i == 7 else f"基准客户{i:03d}有限公司"),
            defaults={"kind": ClientKind.KEY_ACCOUNT if i % 5 == 0 else ClientKind.RETAIL, "department": Department.BIDDING,
                      "salesperson": sales[i % len(sales)]},
        )[0]
        for i in range(200)
    ]
    batch = []
    start = date(2026, 1, 5)
    for i in range(n):
        c = clients[i % len(clients)]
        sold = start + timedelta(days=i % 330)
        amount = Decimal(100 + (i % 5000)) + Decimal(i % 100) / 100
        received = amount if i % 4 == 0 else (amount / 2).quantize(Decimal("0.01")) if i % 4 == 1 else Decimal("0.00")
        due = sold + timedelta(days=10)
        batch.append(
            SalesConfirmation(
                number=f"BENCH-{i:07d}", client=c, client_kind=c.kind, technician=techs[i % len(techs)], salesperson=c.salesperson,
                sold_on=sold, payment_terms=PaymentTerms.MONTHLY_STATEMENT if c.kind == ClientKind.KEY_ACCOUNT else PaymentTerms.WORKING_DAYS,
                amount=amount, received_amount=received, is_open=received < amount, due_date=due, original_due_date=due,
                status=ConfirmationStatus.REGISTERED, registered_at=now, created_at=now, invoice_number=f"FP{i:08d}" if i % 3 else "",
            )
        )
        if len(batch) == 5000:
            SalesConfirmation.objects.bulk_create(batch)
            batch = []
    if batch:
        SalesConfirmation.objects.bulk_create(batch)


def _rows():
    from datetime import date

    from receivables import selectors

    return selectors.ledger_rows(as_of=date.fromisoformat(AS_OF)).iterator(chunk_size=2000)


def _plain(r):
    """The row as plain values, the way a bare writer would put it down."""
    return [
        r["number"], r["work_order__number"], r["sold_on"], r["client__name"], r["client_kind"], r["site__name"], r["technician__name"],
        r["salesperson__name"], r["client__salesperson__name"], r["payment_terms"], r["invoice_number"], r["amount"],
        r["received_amount"], r["amount"] - r["received_amount"], r["due_date"], r["original_due_date"], r["bucket"],
        r["extension_status"], r["last_paid_on"], r["status"], r["registered_at"],
    ]


def run_xlsxwriter(out):
    from datetime import date, datetime
    from decimal import Decimal

    import xlsxwriter

    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("ledger")
    money, day = wb.add_format({"num_format": "#,##0.00"}), wb.add_format({"num_format": "yyyy-mm-dd"})
    n = 0
    for n, r in enumerate(_rows(), start=1):
        for col, v in enumerate(_plain(r)):
            if v is None or v == "":
                continue
            if isinstance(v, Decimal):
                ws.write_number(n, col, float(v), money)
            elif isinstance(v, datetime):
                ws.write_datetime(n, col, v.replace(tzinfo=None), day)
            elif isinstance(v, date):
                ws.write_datetime(n, col, datetime(v.year, v.month, v.day), day)
            else:
                ws.write_string(n, col, str(v))
    wb.close()
    return n


def run_openpyxl(out):
    from datetime import datetime
    from decimal import Decimal

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ledger")
    n = 0
    for n, r in enumerate(_rows(), start=1):
        ws.append([float(v) if isinstance(v, Decimal) else v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in _plain(r)])
    wb.save(out)
    return n


def run_import_export(out):
    from import_export import fields, resources

    from receivables.models import SalesConfirmation

    class LedgerResource(resources.ModelResource):
        client = fields.Field(attribute="client__name", column_name="客户")
        technician = fields.Field(attribute="technician__name", column_name="技术员")

        class Meta:
            model = SalesConfirmation
            fields = ("number", "sold_on", "client", "client_kind", "technician", "payment_terms", "amount", "received_amount",
                      "due_date", "original_due_date", "status", "invoice_number")

    qs = SalesConfirmation.objects.select_related("client", "technician").order_by("client__name", "sold_on", "number")
    dataset = LedgerResource().export(queryset=qs)
    with open(out, "wb") as fh:
        fh.write(dataset.export("xlsx"))
    return len(dataset)


def run_product(out):
    from datetime import date

    from receivables import ledger_export

    return ledger_export.export_ledger(out=out, as_of=date.fromisoformat(AS_OF)).rows


def child(name: str, db_path: str, out: str):
    setup_django(db_path)
    fn = {"xlsxwriter": run_xlsxwriter, "openpyxl": run_openpyxl, "import_export": run_import_export, "product": run_product}[name]
    t0 = time.perf_counter()
    rows = fn(out)
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"name": name, "rows": rows, "seconds": elapsed, "peak_rss_mb": rss, "bytes": os.path.getsize(out)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--contenders", default=",".join(CONTENDERS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; the best time is kept")
    parser.add_argument("--db", choices=["temp", "configured"], default="temp",
                        help="temp: a throwaway SQLite file; configured: DATABASE_URL (an empty database, e.g. PostgreSQL)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-path", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db_path, args.out)
        return 0

    tmp = tempfile.mkdtemp(prefix="bench-receivables-")
    db_path = f"{tmp}/bench.sqlite3" if args.db == "temp" else "configured"
    setup_django(db_path)
    from django.core.management import call_command
    from django.db import connection

    print(f"migrating the {connection.vendor} database ({'in ' + tmp if args.db == 'temp' else 'DATABASE_URL'}) …", flush=True)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    seed(args.rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # statistics for the real row counts, as autovacuum would after a bulk load
            cur.execute("ANALYZE")
    connection.close()
    print(f"generated {args.rows:,} confirmations in {time.perf_counter() - t0:.1f} s", flush=True)

    names = [c.strip() for c in args.contenders.split(",") if c.strip()]
    runs: dict[str, list] = {name: [] for name in names}
    for _round in range(args.repeat):  # interleaved: each round runs every contender once
        for name in names:
            out = f"{tmp}/{name}.xlsx"
            proc = subprocess.run([sys.executable, __file__, "--child", name, "--db-path", db_path, "--out", out],
                                  capture_output=True, text=True, cwd=ROOT)
            if proc.returncode != 0:
                print(f"{name}: failed\n{proc.stderr[-2000:]}")
                continue
            runs[name].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    results = {}
    for name, done in runs.items():
        if not done:
            continue
        best = min(done, key=lambda r: r["seconds"])
        results[name] = best
        print(f"{name:14s} {best['rows']:>9,} rows  {best['seconds']:7.2f} s  {best['rows'] / best['seconds']:>9,.0f} rows/s  "
              f"peak RSS {best['peak_rss_mb']:6.0f} MB  file {best['bytes'] / 1e6:5.1f} MB  (best of {len(done)}: "
              + ", ".join(f"{r['seconds']:.2f}" for r in done) + ")", flush=True)
    base = results.get("xlsxwriter")
    if base:
        print("\nratios to bare XlsxWriter constant_memory:")
        for name, res in results.items():
            print(f"  {name:14s} {res['seconds'] / base['seconds']:.2f} ×")
    product = results.get("product")
    ok = True
    if product and base:
        ratio = product["seconds"] / base["seconds"]
        ok = ratio <= 1.2 and product["peak_rss_mb"] <= 200
        print(f"\nproduct: {ratio:.2f} × bare XlsxWriter (goal ≤ 1.2), peak RSS {product['peak_rss_mb']:.0f} MB (goal ≤ 200): "
              + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
