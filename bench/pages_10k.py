"""Benchmark of the list pages at 10 000 open items against the same pages at 10 (bounded screens,
docs/developers.md rule 8; goal ≤ 2 ×).

    .venv/bin/python bench/pages_10k.py                     # throwaway SQLite in a temp dir
    .venv/bin/python bench/pages_10k.py --db configured     # DATABASE_URL instead (e.g. PostgreSQL; use an empty database)

For each page it measures the server time (Django's test client, median of 7 after one warm-up), the size of the
answer and its SQL query count, first with 10 open items of each kind, then after adding up to --items of each:
work orders waiting for dispatch, orders dispatched to one technician, callbacks waiting to be made, penalty
proposals waiting for review, open sales confirmations (the receivable ledger), disputed visit charges, disputed
charge lines and repair plans awaiting the client (the salesperson's billing queue); the rule-parameter page is
measured alongside (its size does not grow with open items, its history is bounded). The goal
is a ratio (10 000 ÷ 10) of at most 2 × for time, with the same number of queries and pages in tens of KB; the
baseline is the same page measured in the same run, so a shared, noisy machine does not change the verdict.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--db", choices=["temp", "configured"], default="temp")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated page labels to measure (default: all)")
    parser.add_argument("--profile", default="", help="a page label: print where its time goes at --items (cProfile)")
    args = parser.parse_args()

    if args.db == "temp":
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-pages-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    if args.db == "temp":
        print("migrating a throwaway SQLite database …", flush=True)
        call_command("migrate", verbosity=0)

    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType

    from billing.models import ChargeLine, RepairPlan, VisitCharge
    from callbacks.models import Callback
    from penalties.models import Penalty
    from receivables.models import SalesConfirmation
    from servicedesk import services as core
    from servicedesk.choices import Role
    from servicedesk.models import Client, Site, WorkOrder

    suffix = timezone.now().strftime("%H%M%S")
    coordinator = core.create_staff(username=f"bench-coord-{suffix}", name="基准协调员", roles=[Role.COORDINATOR], area="南山区")
    technician = core.create_staff(username=f"bench-tech-{suffix}", name="基准技术员", roles=[Role.TECHNICIAN], area="南山区")
    for i in range(20):
        core.create_staff(username=f"bench-t{i:02d}-{suffix}", name=f"技术员{i:02d}", roles=[Role.TECHNICIAN], area="南山区")
    manager = core.create_staff(username=f"bench-mgr-{suffix}", name="基准经理", roles=[Role.MANAGER], area="南山区")
    finance = core.create_staff(username=f"bench-fin-{suffix}", name="基准财务", roles=[Role.FINANCE], area="南山区")
    sales = core.create_staff(username=f"bench-sales-{suffix}", name="基准业务员", roles=[Role.SALES], area="南山区")
    client = Client.objects.create(name=f"基准客户{suffix}", kind="retail", phone="13900000000", salesperson=sales)
    site = Site.objects.create(client=client, name="总部", address="深圳市南山区科技园", area="南山区", contact_name="王", phone="13900000000")

    made = {"new": 0, "dispatched": 0, "callbacks": 0}
    wo_type = ContentType.objects.get_for_model(WorkOrder)

    def fill(upto: int) -> None:
        """Bring each kind of open item up to `upto` rows (bulk inserts: this is load, not a demo)."""
        now = timezone.now()
        for status, holder in (("new", None), ("dispatched", technician)):
            rows = [
                WorkOrder(
                    number=f"WB{suffix}{status[:1]}{i:05d}", client=client, site=site, contact_name="王",
                    contact_phone="13900000000", content="repair", status=status, technician=holder,
                    created_at=now - timedelta(minutes=upto - i),
                )
                for i in range(made[status], upto)
            ]
            WorkOrder.objects.bulk_create(rows, batch_size=2000)
            made[status] = upto
        resolved = WorkOrder.objects.bulk_create(
            [
                WorkOrder(
                    number=f"WB{suffix}r{i:05d}", client=client, site=site, contact_name="王",
                    contact_phone="13900000000", content="repair", status="resolved", technician=technician,
                    created_at=now - timedelta(days=1, minutes=i),
                )
                for i in range(made["callbacks"], upto)
            ],
            batch_size=2000,
        )
        if connection.vendor == "sqlite" or any(w.pk is None for w in resolved):  # SQLite < 3.35 gives no ids back
            numbers = [w.number for w in resolved]
            resolved = list(WorkOrder.objects.filter(number__in=numbers)) if numbers else []
        Callback.objects.bulk_create(
            [
                Callback(
                    work_order=w, client=client, technician=technician, completed_at=now - timedelta(hours=30),
                    window_opens_at=now - timedelta(hours=6), due_at=now + timedelta(hours=i % 40),
                    window_rule="first_service",
                )
                for i, w in enumerate(resolved)
            ],
            batch_size=2000,
        )
        # penalty proposals waiting for the manager (one source each: R-N1 allows one per source, rule, person)
        Penalty.objects.bulk_create(
            [
                Penalty(
                    person=technician, rule="P7", source_type=wo_type, source_id=w.pk, source_label=w.number,
                    reason="响应超时", suggested_points=2, min_points=1, max_points=5, occurred_on=(now - timedelta(days=i % 300)).date(),
                    parameter={}, parameter_version=1, proposed_at=now,
                )
                for i, w in enumerate(resolved)
            ],
            batch_size=2000,
        )
        # open sales confirmations on the receivable ledger, half of them overdue
        SalesConfirmation.objects.bulk_create(
            [
                SalesConfirmation(
                    number=f"XS{suffix}{i:06d}", client=client, client_kind=client.kind, site=site, technician=technician,
                    salesperson=sales, sold_on=(now - timedelta(days=i % 120)).date(), payment_terms="working_days",
                    amount=Decimal("300.00") + i % 7, received_amount=Decimal("0.00"), is_open=True,
                    due_date=(now - timedelta(days=i % 120 - 60)).date(), original_due_date=(now - timedelta(days=i % 120 - 60)).date(),
                    status="registered", created_at=now, registered_at=now,
                )
                for i in range(made["callbacks"], upto)
            ],
            batch_size=2000,
        )
        # the salesperson's queue: a disputed visit, a disputed line and a repair plan awaiting the client per order
        VisitCharge.objects.bulk_create(
            [
                VisitCharge(work_order=w, client=client, on=now.date(), total=Decimal("210.00"), status="disputed",
                            recorded_by=technician, recorded_at=now - timedelta(minutes=i))
                for i, w in enumerate(resolved)
            ],
            batch_size=2000,
        )
        charges = list(VisitCharge.objects.filter(work_order__in=resolved).values_list("pk", flat=True))
        lines = []
        for pk in charges:
            lines.append(ChargeLine(visit_charge_id=pk, position=1, kind="part", item="other", amount=Decimal("200.00"),
                                    list_amount=Decimal("200.00"), rule="R-P1", explanation="bench", status="disputed"))
            lines.append(ChargeLine(visit_charge_id=pk, position=2, kind="repair", item="other", amount=Decimal("0.00"),
                                    list_amount=Decimal("150.00"), rule="R-B6", explanation="bench", awaiting_salesperson=True))
        ChargeLine.objects.bulk_create(lines, batch_size=2000)
        plan_lines = dict(ChargeLine.objects.filter(visit_charge_id__in=charges, position=2).values_list("visit_charge__work_order_id", "pk"))
        RepairPlan.objects.bulk_create(
            [
                RepairPlan(work_order=w, client=client, line_id=plan_lines[w.pk], rule="R-B6", cost=Decimal("150.00"),
                           description="更换定影组件", created_at=now - timedelta(minutes=i))
                for i, w in enumerate(resolved)
            ],
            batch_size=2000,
        )
        made["callbacks"] = upto

    desk, phone, boss, money, seller = HttpClient(), HttpClient(), HttpClient(), HttpClient(), HttpClient()
    desk.force_login(coordinator.user)
    phone.force_login(technician.user)
    boss.force_login(manager.user)
    money.force_login(finance.user)
    seller.force_login(sales.user)

    def poll_version() -> str:
        html = desk.get("/dispatch/board/partial/").content.decode()
        return html.split("?v=", 1)[1].split('"', 1)[0] if "?v=" in html else ""

    pages = [
        ("board", desk, lambda: "/dispatch/board/"),
        ("board poll, changed", desk, lambda: "/dispatch/board/partial/"),
        ("board poll, unchanged", desk, lambda: f"/dispatch/board/partial/?v={poll_version()}"),
        ("callbacks queue", desk, lambda: "/callbacks/"),
        ("work orders list", desk, lambda: "/core/work-orders/"),
        ("my work (phone)", phone, lambda: "/dispatch/my/"),
        ("penalty review", boss, lambda: "/penalties/"),
        ("receivable ledger", money, lambda: "/receivables/ledger/"),
        ("billing queue (sales)", seller, lambda: "/billing/"),
        ("rule parameters", boss, lambda: "/core/parameters/"),
    ]

    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        pages[:] = [p for p in pages if p[0] in wanted]

    def measure() -> dict:
        out = {}
        for label, http, url_of in pages:
            url = url_of()
            first = http.get(url)
            assert first.status_code in (200, 204), (label, first.status_code)
            times, counts = [], set()
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    r = http.get(url)
                    times.append(time.perf_counter() - t)
                counts.add(len(ctx.captured_queries))
            out[label] = (statistics.median(times), len(r.content), sorted(counts), r.status_code)
        return out

    fill(10)
    small = measure()
    print(f"filling to {args.items} open items of each kind …", flush=True)
    t0 = time.perf_counter()
    fill(args.items)
    print(f"  filled in {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cur:  # statistics for the real row counts (PostgreSQL: what autovacuum does after a bulk load)
        cur.execute("ANALYZE")
    big = measure()
    if args.profile:
        import cProfile
        import pstats

        label, http, url_of = next(p for p in pages if p[0] == args.profile)
        url = url_of()
        prof = cProfile.Profile()
        prof.runcall(http.get, url)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)

    print()
    print(f"{'page':24s} {'10 items':>10s} {f'{args.items} items':>12s} {'ratio':>6s}  {'size at 10 → N':>20s}  queries      status")
    worst = 0.0
    for label, _http, _url in pages:
        (t1, b1, q1, s1), (t2, b2, q2, s2) = small[label], big[label]
        ratio = t2 / t1 if t1 else float("inf")
        worst = max(worst, ratio)
        print(
            f"{label:24s} {t1 * 1000:8.1f} ms {t2 * 1000:10.1f} ms {ratio:5.2f}×  {b1 / 1024:7.1f} → {b2 / 1024:7.1f} KiB"
            f"  {q1} → {q2}  {s1} → {s2}"
        )
    biggest = max(big[label][1] for label, _h, _u in pages)
    print(f"\nworst ratio {worst:.2f}× (goal ≤ 2×); largest page {biggest / 1024:.0f} KiB (goal ≤ 300 KB); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
