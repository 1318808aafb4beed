"""After the load run: nothing lost, nothing duplicated (docs/developers.md rule 3:
idempotent jobs). Exits 1 on any finding.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest python bench/load/check_load.py
"""
import json
import os
import sys

sys.path.insert(0, os.getcwd())  # the code under test: run.sh runs this from its root
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
import django  # noqa: E402

django.setup()
from django.db.models import Count  # noqa: E402

from callbacks.models import Callback  # noqa: E402
from dispatch.models import Assignment, CloseOut, Deadline  # noqa: E402
from servicedesk.models import WorkOrder  # noqa: E402


def main(stats_csv=None, attempts_json=None):
    stats = successes(stats_csv) if stats_csv else {}
    started = json.load(open(attempts_json)) if attempts_json and os.path.exists(attempts_json) else {}
    problems = []
    orders = WorkOrder.objects.filter(number__isnull=False)
    dispatched = Assignment.objects.values("work_order").distinct().count()
    resolved = CloseOut.objects.count()
    # every assignment opened its set-off and contact deadlines, once (R-W4, R-W6)
    missing = Assignment.objects.exclude(work_order__deadlines__kind="mobile_depart").count()
    if missing:
        problems.append(f"{missing} assignments without a set-off deadline")
    dup = (
        Deadline.objects.values("work_order", "kind", "technician", "starts_at").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    if dup:
        problems.append(f"{dup} duplicated deadlines")
    # every resolved visit has exactly one callback (R-K1, OneToOne) — none missing
    without_cb = CloseOut.objects.filter(work_order__callback__isnull=True).count()
    if without_cb:
        problems.append(f"{without_cb} resolved visits without a callback")
    from billing.models import VisitCharge
    from receivables.models import ExportJob, SalesConfirmation

    charged = VisitCharge.objects.filter(total__gt=0).count()  # R-S1: a visit whose charge total is above zero
    from_visits = SalesConfirmation.objects.filter(work_order__isnull=False)
    confirmations = from_visits.count()
    dups = from_visits.values("work_order").annotate(n=Count("pk")).filter(n__gt=1).count()
    if dups:
        problems.append(f"{dups} visits with more than one sales confirmation")
    if confirmations != charged:
        problems.append(f"{charged} charged visits but {confirmations} sales confirmations from visits")
    unfinished = ExportJob.objects.exclude(status="done").count()
    if unfinished:
        problems.append(f"{unfinished} export jobs not done")
    # every answer locust counted as a success is in the database, and nothing twice (nothing lost, nothing doubled)
    if stats:
        for name, count in (("intake", orders.count()), ("dispatch", dispatched), ("resolve", resolved),
                            ("export start", ExportJob.objects.count())):
            if name not in stats:
                continue
            ok, sent = stats[name]
            sent = max(sent, started.get(name, 0))  # requests cut off by the end of the run were sent too
            # a request in flight when locust stopped may have been done without being counted, never the reverse
            if count < ok:
                problems.append(f"lost: locust saw {ok} successful {name} but the database holds {count}")
            if count > sent:
                problems.append(f"doubled: locust sent {sent} {name} but the database holds {count}")
    print(
        f"work orders {orders.count()}, dispatched {dispatched}, resolved {resolved}, "
        f"deadlines {Deadline.objects.count()} (breached {Deadline.objects.filter(breached_at__isnull=False).count()}), "
        f"callbacks {Callback.objects.count()}, sales confirmations from visits {confirmations}, "
        f"export jobs {ExportJob.objects.count()}"
    )
    print("problems: " + ("; ".join(problems) if problems else "none — nothing lost, nothing duplicated"))
    sys.exit(1 if problems else 0)


def successes(path):
    import csv

    with open(path, newline="") as f:
        return {row["Name"]: (int(row["Request Count"]) - int(row["Failure Count"]), int(row["Request Count"]))
                for row in csv.DictReader(f)}


if __name__ == "__main__":
    main(*sys.argv[1:3])
