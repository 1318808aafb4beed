"""Benchmark of the coordinators' board poll (/dispatch/board/partial/, every 5 s per coordinator) at many open
orders: what the shared render and the board's partial indexes save, as ratios measured in the same run.

    .venv/bin/python bench/board_poll.py                     # throwaway SQLite in a temp dir
    .venv/bin/python bench/board_poll.py --db configured     # DATABASE_URL instead (e.g. PostgreSQL; an empty database)

It fills --items waiting orders and as many dispatched ones (bulk inserts), then measures (median of --repeat, one
warm-up each):
  1. a changed poll that renders the board (the first coordinator to see a new version);
  2. the same poll by another coordinator once the version is rendered (dispatch.views.shared_board_html);
  3. the board's queries (dispatch.selectors.board) with the partial indexes and without them (dropped in a
     transaction that is rolled back), in interleaved rounds.
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

BOARD_INDEXES = ("wo_board_waiting", "wo_board_dispatched", "wo_board_current_job")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--coordinators", type=int, default=10)
    parser.add_argument("--db", choices=["temp", "configured"], default="temp")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    if args.db == "temp":
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-board-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    from datetime import timedelta

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    if args.db == "temp":
        print("migrating a throwaway SQLite database …", flush=True)
        call_command("migrate", verbosity=0)

    from dispatch import selectors
    from servicedesk import services as core
    from servicedesk.choices import Role
    from servicedesk.models import Client, Site, WorkOrder

    suffix = timezone.now().strftime("%H%M%S")
    desks = []
    for i in range(args.coordinators):
        staff = core.create_staff(username=f"bench-bc{i:02d}-{suffix}", name=f"协调员{i:02d}", roles=[Role.COORDINATOR], area="南山区")
        http = HttpClient()
        http.force_login(staff.user)
        desks.append(http)
    techs = [core.create_staff(username=f"bench-bt{i:02d}-{suffix}", name=f"技术员{i:02d}", roles=[Role.TECHNICIAN], area="南山区")
             for i in range(20)]
    client = Client.objects.create(name=f"基准客户{suffix}", kind="retail", phone="13900000000")
    site = Site.objects.create(client=client, name="总部", address="深圳市南山区科技园", area="南山区", contact_name="王", phone="13900000000")
    now = timezone.now()
    print(f"filling {args.items} waiting and {args.items} dispatched orders, and {args.items * 3} closed ones …", flush=True)
    rows = []
    for status, count in (("new", args.items), ("dispatched", args.items), ("closed", args.items * 3)):
        rows += [
            WorkOrder(
                number=f"WP{suffix}{status[:1]}{i:06d}", client=client, site=site, contact_name="王", contact_phone="13900000000",
                content="repair", status=status, technician=None if status == "new" else techs[i % len(techs)],
                created_at=now - timedelta(minutes=count - i), required_at=now + timedelta(hours=i % 50) if i % 3 else None,
            )
            for i in range(count)
        ]
    WorkOrder.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    def timed(fn) -> tuple[float, int]:
        fn()  # warm-up
        times, counts = [], set()
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t)
            counts.add(len(ctx.captured_queries))
        return statistics.median(times), max(counts)

    def rendering_poll():
        cache.clear()  # nobody has rendered this version yet
        r = desks[0].get("/dispatch/board/partial/")
        assert r.status_code == 200 and b"csrfmiddlewaretoken" in r.content

    def shared_poll():
        for http in desks[1:]:
            r = http.get("/dispatch/board/partial/")
            assert r.status_code == 200

    desks[0].get("/dispatch/board/partial/")
    rendered = timed(rendering_poll)
    shared_all = timed(shared_poll)
    shared = (shared_all[0] / max(1, len(desks) - 1), shared_all[1] // max(1, len(desks) - 1))

    def board_queries():
        selectors.board(now=timezone.now())

    def without(fn):
        with transaction.atomic():
            with connection.cursor() as cur:
                for name in BOARD_INDEXES:
                    cur.execute(f"DROP INDEX {name}")
            result = timed(fn)
            transaction.set_rollback(True)
        return result

    # interleaved rounds, so a shared machine's load falls on both alike
    rounds = [(timed(board_queries), without(board_queries)) for _ in range(3)]
    with_indexes = (statistics.median(r[0][0] for r in rounds), rounds[0][0][1])
    without_indexes = (statistics.median(r[1][0] for r in rounds), rounds[0][1][1])

    print()
    print(f"{'measure':58s} {'median':>10s}  queries")
    print(f"{'changed poll, this coordinator renders the version':58s} {rendered[0] * 1000:8.1f} ms  {rendered[1]}")
    print(f"{'changed poll, another coordinator (shared render)':58s} {shared[0] * 1000:8.1f} ms  {shared[1]}")
    print(f"{'board queries with the partial indexes':58s} {with_indexes[0] * 1000:8.1f} ms  {with_indexes[1]}")
    print(f"{'board queries without them':58s} {without_indexes[0] * 1000:8.1f} ms  {without_indexes[1]}")
    print()
    print(f"shared render ÷ own render: {shared[0] / rendered[0]:.2f}×  "
          f"({args.coordinators} coordinators polling a change: {rendered[0] + (len(desks) - 1) * shared[0]:.3f} s "
          f"instead of {len(desks) * rendered[0]:.3f} s)")
    print(f"board queries with ÷ without the partial indexes: {with_indexes[0] / without_indexes[0]:.2f}×")
    print(f"{connection.vendor}, {args.items} waiting + {args.items} dispatched orders; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
