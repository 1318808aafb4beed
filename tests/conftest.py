"""Shared fixtures: the test clock, one staff member per role, API clients logged in as them, service availability.

The clock: the whole run sees one fixed moment (default 2026-12-03 10:00 Asia/Shanghai), chosen with
`--now 2027-01-12T09:00+08:00` or SERVICEDESK_TEST_NOW; time-machine moves timezone.now(), date.today() and
time.time() of the test process, the live server's threads and the in-process Celery worker. Every test starts at
that moment and the clock ticks while it runs; a test needing another moment says so (`time_machine.travel(...)`,
the `time_machine` fixture's `move_to`), and data built "today" on purpose comes from the `fixed_now` fixture.

Tests that need PostgreSQL or Redis are marked `postgres` / `redis`; where the
service is absent they skip with the reason, except under CI=true where the
absence fails the run (docs/developers.md).
"""
import os
import socket
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from servicedesk.choices import Role

from . import clock
from .factories import staff_with

IN_CI = os.environ.get("CI", "").lower() == "true"

_clock = {}  # the running time-machine travel ("traveller") and its coordinates


def pytest_addoption(parser):
    parser.addoption(
        "--now", action="store", default=None, metavar="ISO",
        help=f"the moment the tests run at, ISO 8601 with offset (e.g. 2027-01-12T09:00+08:00; without an offset: "
        f"Asia/Shanghai); overrides ${clock.NOW_ENV}; default {clock.DEFAULT_NOW:%Y-%m-%dT%H:%M%z}",
    )


def pytest_configure(config):
    """Start the clock before anything is collected or set up (session fixtures and the live server see it too)."""
    for source, text in (("--now", config.getoption("--now")), (clock.NOW_ENV, os.environ.get(clock.NOW_ENV))):
        if text and text.strip():
            try:
                clock.choose(clock.parse_now(text), source)
            except ValueError:
                raise pytest.UsageError(f"{source}: {text!r} is not an ISO 8601 moment such as 2027-01-12T09:00+08:00") from None
            break
    traveller = time_machine.travel(clock.fixed_now(), tick=True)
    _clock.update(traveller=traveller, coordinates=traveller.start())


def pytest_unconfigure(config):
    if _clock.get("traveller") is not None:
        _clock.pop("traveller").stop()


def pytest_report_header(config):
    now = clock.fixed_now()
    how = f"default; --now or ${clock.NOW_ENV} move it" if clock.source() == "default" else f"from {clock.source()}"
    return f"test clock: {now:%Y-%m-%d %H:%M %a} Asia/Shanghai (UTC{now:%z}), every test starts there and it ticks ({how})"


@pytest.fixture(autouse=True)
def _clock_at_fixed_now():
    """Every test starts at the chosen moment, whatever ran before it and however long the run has taken."""
    _clock["coordinates"].move_to(clock.fixed_now())
    yield


@pytest.fixture
def fixed_now() -> datetime:
    """The moment the run is at (aware, Asia/Shanghai): for data a test builds relative to "now" on purpose."""
    return clock.fixed_now()


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or settings.REDIS_URL or ""


def _reachable(url: str) -> bool:
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


JOURNEYS = Path(__file__).parent / "journeys"


def _xdist_group(item) -> str | None:
    """The parallel run's groups (`pytest -n 2 --dist loadgroup`, .ci/run): every browser test on one worker, so
    two Chromiums never compete for the two cores while a live server waits on them; the modules reading the demo
    department on one worker, one after another, so it is built once (`demo_department`) instead of once a module
    on each worker. Everything else is spread test by test."""
    if "browser" in item.keywords or JOURNEYS in Path(str(item.fspath)).parents:
        return "browser"
    if "demo_department" in getattr(item, "fixturenames", ()):
        return "demo"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks before anything else reads them: tryfirst, because pytest-xdist's worker turns an `xdist_group` mark
    into the test's node id in its own collection hook, which otherwise runs before this conftest's (a group added
    later is silently ignored and the browser tests spread over both workers)."""
    for item in items:
        group = _xdist_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    # the demo's readers run one after another, so the department built for the first serves the last
    demo = [item for item in items if "demo_department" in getattr(item, "fixturenames", ())]
    if demo:
        first = items.index(demo[0])
        chosen = set(demo)
        rest = [item for item in items if item not in chosen]
        items[:] = rest[:first] + demo + rest[first:]

    on_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis_ok = _reachable(_redis_url())
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            reason = "needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)"
            if IN_CI:
                item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))
        if "redis" in item.keywords and not redis_ok:
            reason = f"needs a reachable Redis broker: set REDIS_URL (now {_redis_url() or 'unset'})"
            if IN_CI:
                item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_collection_finish(session):
    """On a parallel worker (--dist loadgroup) every grouped test must carry its group in its node id, which is
    what the scheduler reads; where it does not (pytest 9 with pytest-xdist 3.8), stop rather than run the
    browser tests side by side on both workers."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in session.items if _xdist_group(item) and "@" not in item.nodeid.rsplit("::", 1)[-1]]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist did not put {len(lost)} grouped tests in their group (first: {lost[0]}); "
            "install the pytest pyproject.toml asks for (pip install -e '.[dev]')"
        )


@pytest.fixture(scope="session", autouse=True)
def _media_of_this_run(tmp_path_factory):
    """Files written by tests (exports, imports, photos) go to this run's own folder — one per parallel worker, since
    two workers' test databases both number their first export job 1 — never to the project's var/media."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """API throttles (servicedesk/settings.py) count in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Text is rendered when read, in the active language (servicedesk/texts.py): a page or API call read in
    English must not leave English active for the next test in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def _fail_missing_service(request):
    pytest.fail(f"CI=true and a required service is missing for {request.node.name}", pytrace=False)


@pytest.fixture
def manager(db):
    return staff_with(Role.MANAGER, name="李经理")


@pytest.fixture
def coordinator(db):
    return staff_with(Role.COORDINATOR, name="张协调")


@pytest.fixture
def technician(db):
    return staff_with(Role.TECHNICIAN, name="王技术")


@pytest.fixture
def other_technician(db):
    return staff_with(Role.TECHNICIAN, name="赵技术")


@pytest.fixture
def finance(db):
    return staff_with(Role.FINANCE, name="钱财务")


@pytest.fixture
def salesperson(db):
    return staff_with(Role.SALES, name="孙业务")


@pytest.fixture
def admin_staff(db):
    return staff_with(Role.ADMIN, name="周行政")


@pytest.fixture
def api():
    """api(staff) → an APIClient authenticated as that staff member (None = anonymous)."""

    def make(staff=None, language="zh-hans"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if staff is not None:
            client.force_authenticate(staff.user)
        return client

    return make


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tests run tasks inline unless a test starts a real worker (test_celery_roundtrip.py)."""
    from servicedesk.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def _seed_functions():
    """Every `seed…` data migration of the project's own apps, in migration order — found, not listed, so a new
    parameter migration is re-seeded too."""
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    own = {"servicedesk", "dispatch", "billing", "receivables", "penalties", "bonuses", "callbacks", "reports", "portal",
           "messaging"}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = []
    for leaf in sorted(graph.leaf_nodes()):
        plan += [node for node in graph.forwards_plan(leaf) if node not in plan]
    for node in plan:
        for op in graph.nodes[node].operations:
            code = getattr(op, "code", None)
            if isinstance(op, RunPython) and node[0] in own and code.__name__.startswith("seed"):
                yield code


def _reseed_reference_data():
    """Transactional tests flush the database; put back what the data migrations seeded (parameters, calendar)."""
    from django.apps import apps

    from servicedesk.models import CalendarYear, RuleParameter

    if RuleParameter.objects.exists() and CalendarYear.objects.exists():
        return
    for seed in _seed_functions():
        seed(apps, None)


class SharedDemo:
    """The demo department (demo.department.build) in a transaction held open on this process's test database: built
    when a test first asks for it, rolled back after the last of the consecutive tests that use it (the teardown
    hook below) or at the end of the run. The page, English and export scans all read it; one build takes about
    100 s, so a run (or a parallel worker) builds it once, not once a module."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.now = None

    def ensure(self, now: datetime) -> None:
        if self.atomic is not None:
            assert self.now == now, f"the shared demo was built at {self.now}, not {now}"
            return
        from django.db import transaction

        from demo.department import build

        with self.blocker.unblock(), time_machine.travel(now, tick=False):
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.now = now
            try:
                build(now=now)
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        atomic, self.atomic, self.now = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_shared_demo: list[SharedDemo] = []


@pytest.fixture(scope="session")
def demo_department(django_db_setup, django_db_blocker):
    """The shared demo (SharedDemo): a module fixture calls `demo_department.ensure(NOW)` inside its own
    transaction, which it rolls back, so what a module changes never reaches the next."""
    shared = SharedDemo(django_db_blocker)
    _shared_demo.append(shared)
    yield shared
    shared.close()
    _shared_demo.remove(shared)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _shared_demo and (nextitem is None or "demo_department" not in getattr(nextitem, "fixturenames", ())):
        _shared_demo[0].close()  # the next test does not read the demo: it must not see it either
    marker = item.get_closest_marker("django_db")
    if nextitem is None:  # the test database is already gone
        return
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])) or "live_server" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _reseed_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and on the way out: close the sessions that worker and server threads of the
    Celery and browser tests left open, so PostgreSQL can drop the test database without a warning."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
