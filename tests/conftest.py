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


def pytest_collection_modifyitems(config, items):
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

    own = {"servicedesk", "dispatch", "billing", "receivables", "penalties", "bonuses", "callbacks", "reports"}
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
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
