"""After `seed_demo`, every page of every role opens (200) on real content, not on its empty state.

The demo is built once for the module (inside a transaction rolled back at the end) with the clock
pinned; each page is listed per role with a marker that only a data row can produce (a work-order
number, a client, a person's name, a month…)."""
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client as Browser
from django.urls import reverse

from tests.html import shown

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=SH)  # a Friday afternoon
IN_PROGRESS = ["dispatched", "accepted", "contacted", "en_route", "on_site"]


@dataclass
class Page:
    url: str
    marker: str  # text only a data row produces
    what: str = ""


def _month(d: date) -> str:
    return f"{d:%Y-%m}"


def pages_for_roles() -> dict[str, tuple[str, list[Page]]]:
    """role → (demo login, its pages with their markers), read from the seeded department."""
    from billing.models import VisitCharge
    from bonuses.models import Statement
    from callbacks.models import Callback, Complaint
    from dispatch.contracts.models import MaintenanceContract
    from dispatch.projects.models import Project
    from dispatch.resident.models import ResidentReport
    from penalties.models import Penalty
    from receivables.models import DueDateExtension, MonthlyStatement, SalesConfirmation
    from servicedesk.models import Notification, Staff, WorkOrder

    todo = 'class="todo has'
    unassigned = WorkOrder.objects.filter(status="new").order_by("-created_at").first()
    busy = WorkOrder.objects.filter(status__in=IN_PROGRESS, technician__resident_site__isnull=True).order_by("-created_at").first()
    tech = busy.technician
    resolved = WorkOrder.objects.filter(status="closed", close_out__isnull=False).order_by("-created_at").first()
    last_month = Statement.objects.filter(status="approved").order_by("-month").first().month
    due_cb = Callback.objects.filter(status__in=["due", "overdue"]).select_related("work_order").order_by("due_at").first()
    complaint = Complaint.objects.select_related("client").first()
    unregistered = SalesConfirmation.objects.filter(status="client_signed").order_by("-sold_on").first()
    mine = SalesConfirmation.objects.filter(technician=tech).order_by("-sold_on").first()
    overdue = SalesConfirmation.objects.overdue(on=NOW.date()).order_by("due_date").first()
    stmt = MonthlyStatement.objects.order_by("-month", "number").first()
    pending = Penalty.objects.filter(status="pending").exclude(person__user__username="manager").select_related("person").first()
    tech_penalty = Penalty.objects.filter(person=tech).first()
    disputed = VisitCharge.objects.filter(status="disputed").select_related("work_order").first()
    ext_manager = DueDateExtension.objects.filter(status="pending_manager").select_related("confirmation").first()
    ext_gm = DueDateExtension.objects.filter(status="pending_gm").select_related("confirmation").first()
    project = Project.objects.order_by("pk").first()
    contract = MaintenanceContract.objects.first()
    resident = Staff.objects.filter(resident_site__isnull=False).order_by("pk").first()
    gm_report = ResidentReport.objects.filter(status="manager_approved").select_related("technician").first()
    coverage_tech = Staff.objects.get(user__username="tech3")
    late_site = Staff.objects.filter(resident_site__isnull=False).order_by("pk")[1].resident_site
    statement = Statement.objects.filter(month=last_month, person=tech).first()
    reconciled = SalesConfirmation.objects.filter(technician=tech).exists()
    notification = Notification.objects.filter(recipient__user__username="coord1").order_by("-created_at").first()
    rated = ResidentReport.objects.filter(technician=resident, month=last_month).first()
    offence = Penalty.objects.filter(rule="P5").select_related("person").first()

    wo_list = Page(reverse("servicedesk:work_order_list"), WorkOrder.objects.order_by("-created_at").first().number)
    wo_detail = Page(reverse("servicedesk:work_order_detail", args=[resolved.pk]), resolved.close_out.work_done)
    return {
        "coordinator": ("coord1", [
            Page("/", todo, "home to-dos"),
            Page(reverse("dispatch:board"), unassigned.number),
            Page(reverse("dispatch:intake"), 'name="description"', "intake form"),
            Page(reverse("callbacks:queue"), due_cb.work_order.number),
            Page(reverse("callbacks:call", args=[due_cb.pk]), due_cb.work_order.number),
            Page(reverse("callbacks:figures"), coverage_tech.name),
            Page(reverse("receivables:register"), unregistered.number),
            Page(reverse("receivables:statements"), stmt.number),
            Page(reverse("dispatch:projects:list"), project.name),
            Page(reverse("dispatch:contracts:list"), contract.number),
            Page(reverse("receivables:reconciliation"), tech.name if reconciled else ""),
            Page(reverse("callbacks:complaint_new"), "<form", "complaint form"),
            Page(reverse("servicedesk:notifications"), notification.text[:20]),
            Page(reverse("dispatch:service_form", args=[resolved.pk]), resolved.close_out.signature_name),
            wo_list, wo_detail,
        ]),
        "technician": (tech.user.username, [
            Page("/", todo, "home to-dos"),
            Page(reverse("dispatch:my_work"), busy.number),
            Page(reverse("dispatch:mobile_order", args=[busy.pk]), busy.number),
            Page(reverse("receivables:my_ledger"), mine.number),
            Page(reverse("receivables:sale", args=[mine.pk]), mine.number),
            Page(reverse("penalties:mine"), tech_penalty.rule),
            Page(reverse("bonuses:mine"), _month(last_month)),
            Page(reverse("bonuses:statement", args=[statement.pk]), tech.name),
            Page(reverse("reports:my"), tech.name),
            Page(reverse("receivables:counter_sale"), "<form", "counter-sale form"),
            Page(reverse("dispatch:projects:list"), project.name),
        ]),
        "resident technician": (resident.user.username, [
            Page(reverse("dispatch:resident:my"), _month(last_month)),
            Page(reverse("dispatch:resident:report", args=[rated.pk]), rated.work_done[:20]),
            Page(reverse("dispatch:resident:my_report", args=[_month(last_month)]), rated.work_done[:20]),
            Page(reverse("dispatch:resident:attendance"), resident.name),
            Page(reverse("dispatch:my_work"), "", "no open order needed"),
        ]),
        "manager": ("manager", [
            Page("/", todo, "home to-dos"),
            Page(reverse("penalties:review"), pending.person.name),
            Page(reverse("callbacks:complaints"), complaint.client.name),
            Page(reverse("billing:queue"), disputed.work_order.number),
            Page(reverse("billing:parameters"), "50.00"),
            Page(reverse("servicedesk:parameters"), "sla.mobile_depart_minutes"),
            Page(reverse("bonuses:month"), tech.name),
            Page(reverse("reports:monthly"), coverage_tech.name),
            Page(reverse("reports:archive"), _month(last_month)),
            # the ledger is paged (25 rows, by client): finance picks the client, as at the desk
            Page(reverse("receivables:ledger") + f"?client={overdue.client_id}", overdue.number),
            Page(reverse("receivables:overdue_review"), overdue.client.name),
            Page(reverse("receivables:extensions"), ext_manager.confirmation.number),
            Page(reverse("receivables:statements"), stmt.number),
            Page(reverse("dispatch:resident:reports"), resident.name),
            Page(reverse("dispatch:projects:detail", args=[project.pk]), project.name),
            Page(reverse("dispatch:contracts:detail", args=[contract.pk]), contract.number),
            Page(reverse("dispatch:projects:create"), "<form", "project form"),
            Page(reverse("dispatch:contracts:create"), "<form", "contract form"),
            Page(reverse("dispatch:resident:documents"), late_site.client.name),
            Page(reverse("dispatch:board"), unassigned.number),
            Page(reverse("callbacks:figures"), coverage_tech.name),
            Page(reverse("callbacks:complaint_detail", args=[complaint.pk]), complaint.client.name),
            Page(reverse("penalties:person", args=[tech.pk]), tech.name),
            Page(reverse("penalties:offence_detail", args=[offence.source_id]), offence.person.name),
            Page(reverse("bonuses:statement", args=[statement.pk]), tech.name),
            Page(reverse("receivables:confirmation_detail", args=[overdue.pk]), overdue.number),
            wo_list, wo_detail,
        ]),
        "finance": ("finance", [
            Page("/", todo, "home to-dos"),
            # the ledger is paged (25 rows, by client): finance picks the client, as at the desk
            Page(reverse("receivables:ledger") + f"?client={overdue.client_id}", overdue.number),
            Page(reverse("receivables:statements"), stmt.number),
            Page(reverse("receivables:import"), 'type="file"', "import form"),
            Page(reverse("receivables:payment_new"), "<form", "payment form"),
            Page(reverse("receivables:payments_import"), 'type="file"', "bank list import form"),
            Page(reverse("receivables:confirmation_detail", args=[overdue.pk]), overdue.number),
            Page(reverse("bonuses:month"), tech.name),
        ]),
        "sales": ("sales", [
            Page("/", todo, "home to-dos"),
            Page(reverse("billing:queue"), disputed.work_order.number),
        ]),
        "gm office": ("gm", [
            Page("/", todo, "home to-dos"),
            Page(reverse("reports:monthly"), coverage_tech.name),
            Page(reverse("reports:archive"), _month(last_month)),
            Page(reverse("receivables:extensions"), ext_gm.confirmation.number),
            Page(reverse("dispatch:resident:reports"), gm_report.technician.name),
        ]),
        "supervisor": ("supervisor", [
            Page(reverse("dispatch:resident:reports"), resident.name),
            Page(reverse("dispatch:resident:documents"), late_site.client.name),
            Page(reverse("dispatch:resident:evaluation"), "<form", "evaluation form"),
            Page(reverse("penalties:offence_new"), "<form", "offence form"),
            Page(reverse("penalties:offence_mine"), "", "own recorded offences"),
        ]),
        "admin": ("admin", [
            Page("/", "", "home"),
            Page(reverse("servicedesk:calendar"), "2026"),
            Page(reverse("servicedesk:parameters"), "billing.onsite_fee"),
            Page(reverse("bonuses:archive"), _month(last_month)),
            Page(reverse("reports:archive"), _month(last_month)),
            Page(reverse("reports:archived", args=[_month(last_month)]), coverage_tech.name),
            Page(reverse("dispatch:resident:print", args=[rated.pk]), rated.work_done[:20]),
            Page("/admin/", "servicedesk"),
        ]),
    }


@pytest.fixture(scope="module")
def demo_pages(demo_department, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        demo_department.ensure(NOW)
        with transaction.atomic():
            yield pages_for_roles()
            transaction.set_rollback(True)


ROLES = ["coordinator", "technician", "resident technician", "manager", "finance", "sales", "gm office", "supervisor", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_opens_on_real_content(demo_pages, role):
    username, pages = demo_pages[role]
    browser = Browser()
    assert browser.login(username=username, password="demo12345")
    problems = []
    with time_machine.travel(NOW, tick=False):
        for page in pages:
            response = browser.get(page.url)
            body = shown(response.content.decode())  # a sentence reads whole, typed names unmarked
            if response.status_code != 200:
                problems.append(f"{page.url}: HTTP {response.status_code}")
            elif page.marker and page.marker not in body:
                problems.append(f"{page.url}: no {page.what or repr(page.marker)}")
    assert not problems, f"{role} ({username}): " + "; ".join(problems)


LOGINS = ["coord1", "tech2", "tech1", "tech7", "manager", "finance", "sales", "gm", "supervisor", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", LOGINS)
def test_every_link_of_the_home_page_opens(demo_pages, username):
    """The home page offers each role its to-dos and pages: none of them may answer 403 or fail."""
    import re

    browser = Browser()
    assert browser.login(username=username, password="demo12345")
    with time_machine.travel(NOW, tick=False):
        home = browser.get("/").content.decode()
        links = sorted({u for u in re.findall(r'href="(/[^"#]*)"', home) if not u.startswith(("/static/", "/i18n/", "/accounts/", "/api/"))})
        assert len(links) >= 3
        broken = [f"{u} → {code}" for u in links if (code := browser.get(u.replace("&amp;", "&")).status_code) != 200]
    assert not broken, f"{username}: " + "; ".join(broken)
