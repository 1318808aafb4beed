"""The demo department of `manage.py seed_demo` / `rundemo`: three months of work built through the services."""
import io
import re
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from servicedesk.choices import Channel, ClientKind, Department, Role, ServiceMode
from demo.department import DEMO_USERS, build
from servicedesk.models import Client, Equipment, RuleParameter, Staff, WorkOrder, WorkOrderEvent

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=SH)  # a Friday afternoon
ON_SITE_ACTIONS = {"accept", "contact", "depart", "arrive", "resolve"}
ROOT = Path(__file__).resolve().parent.parent


def _fingerprint():
    from penalties.models import Penalty
    from receivables.models import SalesConfirmation

    return (
        list(WorkOrder.objects.order_by("number").values_list("number", "status", "technician__user__username")),
        list(SalesConfirmation.objects.order_by("number").values_list("number", "amount", "status", "received_amount")),
        list(Penalty.objects.order_by("rule", "person__user__username", "occurred_on", "status").values_list("rule", "person__user__username", "occurred_on", "status")),  # usernames: PostgreSQL does not reset ids
    )


@pytest.mark.django_db
def test_demo_department_is_built_through_the_services_deterministic_and_idempotent():
    out = io.StringIO()
    cpu = time.process_time()
    assert build(now=NOW, stdout=out) is True
    assert time.process_time() - cpu < 60  # CPU seconds: the wall clock depends on the machine's load
    assert "built in" in out.getvalue()

    # people and master data (R-C1…R-C5)
    assert Staff.objects.technicians().filter(resident_site__isnull=False).count() == 2
    for role in Role.values:
        assert Staff.objects.with_role(role).exists(), role
    assert {c.kind for c in Client.objects.all()} == set(ClientKind.values)
    assert {c.department for c in Client.objects.all()} == set(Department.values)
    assert Equipment.objects.count() >= 50
    assert WorkOrder.objects.count() >= 150
    assert (NOW - WorkOrder.objects.order_by("created_at").first().created_at).days >= 85

    # R-W3: carry-in repairs walked their own lifecycle, never an on-site step; no status forced
    carry_in = WorkOrder.objects.filter(channel=Channel.CARRY_IN)
    assert carry_in.filter(status="returned").count() >= 5
    assert carry_in.exclude(status__in=["returned", "cancelled"]).exists()  # some still in the workshop
    assert not WorkOrderEvent.objects.filter(work_order__channel=Channel.CARRY_IN, action__in=ON_SITE_ACTIONS).exists()
    for wo in WorkOrder.objects.exclude(status="new"):
        last = wo.events.order_by("-at", "-pk").first()
        assert last.to_status == wo.status, wo.number  # every status comes from a stamped transition
    # R-W5: resident requests only to the site's resident technician
    resident = WorkOrder.objects.filter(service_mode=ServiceMode.RESIDENT, technician__isnull=False)
    assert resident.exists()
    assert all(wo.technician.resident_site_id == wo.site_id for wo in resident.select_related("technician"))
    # today's board: unassigned reports and visits at every stage
    statuses = set(WorkOrder.objects.values_list("status", flat=True))
    assert {"new", "resolved", "closed", "cancelled", "returned"} <= statuses
    assert statuses & {"dispatched", "accepted", "contacted", "en_route", "on_site"}

    # close-outs with priced lines (R-W10, R-P1…R-P7) and their callbacks (R-K1…R-K7)
    from billing.models import ChargeLine, VisitCharge
    from callbacks.models import Callback, CallbackViolation, Complaint

    assert VisitCharge.objects.filter(total__gt=0).count() >= 30
    assert ChargeLine.objects.filter(kind="part").exists() and ChargeLine.objects.filter(kind="software").exists()
    assert VisitCharge.objects.filter(status="disputed").exists()
    assert Callback.objects.filter(status="done").count() >= 100
    assert Callback.objects.filter(status="unreachable").exists()
    assert Callback.objects.filter(status="overdue").exists()
    assert Callback.objects.filter(status__in=["due", "pending"]).exists()  # today's queue
    assert CallbackViolation.objects.exists()
    assert Complaint.objects.filter(satisfaction="dissatisfied").exists()

    # SLA breaches found by the scan (R-W7) and penalty proposals decided by the manager (R-N1)
    from dispatch.models import Deadline, Refusal
    from penalties.models import Penalty

    assert Deadline.objects.filter(breached_at__isnull=False).exists()
    assert Penalty.objects.filter(rule="P7", status="confirmed").exists()
    assert Penalty.objects.filter(status="rejected").exists()
    assert Penalty.objects.filter(status="pending").exclude(person__user__username="manager").exists()
    assert {"P1", "P4", "P6", "P7", "P8"} <= set(Penalty.objects.values_list("rule", flat=True))
    assert Refusal.objects.filter(unjustified=True).exists()

    # sales confirmations, payments, an overdue receivable, an extension, statements (R-S1…R-S6)
    from receivables.models import DueDateExtension, MonthlyStatement, Payment, SalesConfirmation

    confs = SalesConfirmation.objects.all()
    assert confs.filter(status="registered").count() >= 30
    assert confs.filter(status="client_signed").exists()  # delivery copies still to register
    assert Payment.objects.count() >= 10
    assert SalesConfirmation.objects.overdue(on=NOW.date()).filter(client_kind=ClientKind.RETAIL).exists()
    assert DueDateExtension.objects.filter(status="approved").exists()
    assert DueDateExtension.objects.filter(status="pending_manager").exists()
    assert MonthlyStatement.objects.filter(status="paid").exists()
    assert MonthlyStatement.objects.filter(status__in=["sent", "partially_paid"]).exists()

    # the previous month closed and approved, the current one open (R-M9, R-T1, R-T2)
    from bonuses.models import MonthClose, Statement
    from reports.models import MonthlyReport

    october, november = date(2026, 10, 1), date(2026, 11, 1)
    assert Statement.objects.filter(month=october, status="approved").exists()
    assert MonthlyReport.objects.get(month=october).status == "approved"
    assert not MonthClose.objects.filter(month=november).exists()

    # idempotent: a second run creates nothing
    counts = (Staff.objects.count(), WorkOrder.objects.count(), Penalty.objects.count(), confs.count())
    assert build(now=NOW) is False
    assert (Staff.objects.count(), WorkOrder.objects.count(), Penalty.objects.count(), confs.count()) == counts

    from django.test import Client as Browser

    b = Browser()
    for username, _role, password in DEMO_USERS:
        assert b.login(username=username, password=password), username


@pytest.mark.django_db
def test_demo_keeps_working_in_a_year_without_its_official_calendar():
    """Today in 2027 and no official 2027 calendar: the department is built in full on the provisional calendar
    (SPEC §11), nothing is skipped, the due dates that touch 2027 are marked, and December 2026 is closed."""
    from bonuses.models import MonthClose
    from receivables.models import SalesConfirmation
    from servicedesk.models import CalendarYear

    from .calendars import make_provisional

    make_provisional(2027, 2028)
    out = io.StringIO()
    today = datetime(2027, 1, 12, 10, 0, tzinfo=SH)
    with time_machine.travel(today, tick=True):  # the wall clock moved too (signed links use it)
        assert build(now=today, stdout=out) is True
    assert "skipped: calendar" not in out.getvalue()
    assert CalendarYear.objects.get(year=2027).source == "provisional"
    assert WorkOrder.objects.filter(created_at__gte=datetime(2027, 1, 4, tzinfo=SH)).exists()
    assert SalesConfirmation.objects.filter(due_provisional=True, due_date__year=2027).exists()
    assert MonthClose.objects.filter(month=date(2026, 12, 1)).exists()
    with time_machine.travel(today, tick=False):  # finance sees which due dates are provisional
        from django.test import Client

        browser = Client()
        assert browser.login(username="finance", password="demo12345")
        assert "按法定假日暂算" in browser.get("/receivables/ledger/").content.decode()


@pytest.mark.django_db
def test_seed_demo_command_takes_a_now_and_builds_the_same_department_every_time():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--now"):
        call_command("seed_demo", "--now", "yesterday")
    prints = []
    for _run in range(2):
        with transaction.atomic():
            out = io.StringIO()
            call_command("seed_demo", "--now", "2026-10-20 09:00", stdout=out)
            assert WorkOrder.objects.order_by("-created_at").first().created_at <= datetime(2026, 10, 20, 9, 0, tzinfo=SH)
            call_command("seed_demo", stdout=out)
            assert "already present" in out.getvalue()
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0][0] and prints[0] == prints[1]


# ------------------------------------------------------------------ the project explains itself
RULE_IDS = (
    [f"R-C{i}" for i in range(1, 6)] + [f"R-W{i}" for i in range(1, 15)] + [f"R-K{i}" for i in range(1, 11)]
    + [f"R-R{i}" for i in range(1, 7)] + [f"R-B{i}" for i in range(1, 10)] + [f"R-P{i}" for i in range(1, 8)]
    + [f"R-N{i}" for i in range(1, 6)] + [f"R-M{i}" for i in range(1, 10)] + [f"R-S{i}" for i in range(1, 9)]
    + ["R-T1", "R-T2"] + [f"P{i}" for i in range(1, 12)]
)


@pytest.mark.django_db
def test_docs_rules_lists_every_rule_and_every_parameter():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    missing_rules = [r for r in RULE_IDS if not re.search(rf"\b{re.escape(r)}\b", text)]
    assert not missing_rules
    names = set(RuleParameter.objects.values_list("name", flat=True))
    assert len(names) >= 60
    penalty = {n for n in names if n.startswith("penalty.P") and n != "penalty.P8.joint"}
    missing = sorted(n for n in names - penalty if f"`{n}`" not in text)
    assert not missing, f"docs/rules.md lacks parameters: {missing}"


# the folder beside a checkout where the handbooks were written: a clone does not have it
OUTSIDE = "/".join(["..", "shared"])
OUTSIDE_FILES = ("SPEC" + ".md", "DEVELOPERS" + ".md")


def test_readme_and_code_point_only_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert OUTSIDE not in readme and "docs/rules.md" in readme
    for doc in ["docs/rules.md", "docs/deployment.md", "docs/developers.md", "fixtures/README.md"]:
        assert (ROOT / doc).exists(), doc
    for role in ["coordinator", "technician", "manager", "finance", "sales", "gm_office", "supervisor", "admin"]:
        assert (ROOT / "docs" / "guide" / f"{role}.md").exists(), role
    offenders = []
    for folder in ["servicedesk", "dispatch", "billing", "callbacks", "penalties", "receivables", "bonuses", "reports", "templates"]:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".txt", ".md"} and "migrations" not in path.parts:
                body = path.read_text(encoding="utf-8", errors="ignore")
                if OUTSIDE in body or any(name in body for name in OUTSIDE_FILES):
                    offenders.append(str(path.relative_to(ROOT)))
    assert not offenders
