"""A living demo department (Shenzhen IT service company), built THROUGH THE SERVICES.

`build(now=…)` writes the last three months of a department in full work: intake, dispatch, the
technicians' phone steps, close-outs with priced lines, carry-in repairs through their own lifecycle
(R-W3), resident requests answered by the resident technicians, callbacks with realistic answers,
SLA breaches found by the beat scan, penalty proposals decided by the manager, sales confirmations,
payments, an overdue receivable, an extension, key-account statements, and the month-end work.

History is written by passing explicit `now` values to the services: a time-ordered agenda of
actions (`Agenda`) runs from three months ago up to `now`; an action whose time is still in the
future is simply not done yet, which leaves today's work open at every stage.

Deterministic (a seeded random generator: the same `now` gives the same demo), idempotent (a second
run finds the department and creates nothing) and atomic (a failed run leaves nothing behind).
A step that needs a calendar year the administrator has not entered yet (CalendarMissingError) is
skipped with a printed warning; the rest of the department is still built.
"""
import heapq
import itertools
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from servicedesk.errors import CalendarMissingError

from .people import DEMO_USERS, PASSWORD, PEOPLE  # noqa: F401  (re-exported)

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20261122
HISTORY_DAYS = 92


@dataclass
class Demo:
    """What the steps share: the clock, the random generator, the master data and the agenda."""

    now: datetime
    rnd: random.Random
    stdout: object = None
    staff: dict = field(default_factory=dict)
    clients: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    equipment: list = field(default_factory=list)
    history_days: int = HISTORY_DAYS
    warnings: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)  # (technician pk, day) → visits dispatched (R-W8)
    _agenda: list = field(default_factory=list)
    _seq: itertools.count = field(default_factory=itertools.count)

    # ------------------------------------------------------------ output
    def log(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"demo: {text}")

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)
            if self.stdout is not None:
                self.stdout.write(f"demo WARNING: {text}")

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    # ------------------------------------------------------------ clock
    @property
    def today(self) -> date:
        return timezone.localtime(self.now, TZ).date()

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)

    def is_working_day(self, day: date) -> bool:
        """The PRC calendar when the year is loaded; Monday–Friday otherwise (only to place demo events)."""
        from servicedesk.workdays import is_working_day

        try:
            return is_working_day(day)
        except CalendarMissingError as exc:
            self.warn(f"工作日历缺少 {exc.year} 年,演示数据按周一至周五安排;请管理员在“工作日历”页录入该年。")
            return day.weekday() < 5

    def first_working_day(self, year: int, month: int) -> date:
        d = date(year, month, 1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    # ------------------------------------------------------------ agenda
    def plan(self, when: datetime, action, *args, **kwargs) -> None:
        """Do `action(demo, when, *args)` at `when` — only if `when` is not in the future."""
        if when <= self.now:
            heapq.heappush(self._agenda, (when, next(self._seq), action, args, kwargs))

    def run_agenda(self) -> None:
        spent: dict = {}
        while self._agenda:
            when, _n, action, args, kwargs = heapq.heappop(self._agenda)
            t0 = time.monotonic()
            self.attempt(action.__name__, action, self, when, *args, **kwargs)
            spent[action.__name__] = spent.get(action.__name__, 0.0) + time.monotonic() - t0
        top = sorted(spent.items(), key=lambda kv: -kv[1])[:6]
        self.log("agenda time: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in top))

    def attempt(self, label: str, fn, *args, **kwargs):
        """Run one step; a missing calendar year skips it with a warning (degrade, never guess)."""
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except CalendarMissingError as exc:
            self.count("skipped: calendar")
            self.warn(
                f"跳过需要 {exc.year} 年工作日历的计算({label}):管理员须先在“工作日历”页录入 {exc.year} 年。"
            )
            return None


def _steps():
    from . import fieldwork as field_steps
    from . import later, messages, office, people
    from .portal import build_portal

    return [
        ("people", people.build_people),
        ("message channels", messages.build_channels),
        ("field work", field_steps.plan_field_work),
        ("office work", office.plan_office_work),
        ("resident sites", later.plan_resident),
        ("team project", later.plan_team_project),
        ("maintenance contract", later.plan_contract),
        ("month ends", later.plan_month_ends),
        ("agenda", lambda demo: demo.run_agenda()),
        ("open items", office.leave_open_items),
        ("client portal", build_portal),
        ("the beat now", messages.beat_now),
    ]


def build(*, now: datetime | None = None, stdout=None) -> bool:
    """Create the demo department as of `now`. Returns False (and does nothing) when it is already there."""
    now = timezone.localtime(now or timezone.now(), TZ).replace(second=0, microsecond=0)
    if get_user_model().objects.filter(username="manager").exists():
        if stdout:
            stdout.write("demo data already present")
        return False
    started = time.monotonic()
    demo = Demo(now=now, rnd=random.Random(SEED), stdout=stdout)
    with transaction.atomic():
        for name, step in _steps():
            t0 = time.monotonic()
            step(demo)
            demo.log(f"step {name}: {time.monotonic() - t0:.1f} s")
    if stdout:
        from servicedesk.models import Staff, WorkOrder

        stdout.write(
            f"demo: {Staff.objects.count()} staff, {WorkOrder.objects.count()} work orders, "
            + ", ".join(f"{k} {v}" for k, v in sorted(demo.counts.items()))
            + f" — built in {time.monotonic() - started:.1f} s"
        )
    return True
