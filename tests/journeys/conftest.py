"""Journeys: one person's day per role, clicked and typed in Debian's Chromium against a live server with
committed data (see helpers.py for the page factory, the error guard and the login through the form).

Every test in this folder gets: the `browser` marker, a transactional database, a skip with a reason where
chromium is absent, the live server's clock at helpers.JOURNEY_NOW (ticking), fast password hashing (the
journeys log in through the form many times; production keeps Django's PBKDF2) and `pages`, the page factory
whose guards fail the test on any browser error the journey did not expect."""
import os
from pathlib import Path

import pytest
import time_machine

from ..browser import ARGS, CHROMIUM
from .helpers import JOURNEY_NOW, Pages

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
            if not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason="needs Debian chromium at /usr/bin/chromium"))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per journey module. Playwright's sync API keeps an event loop running in this thread, so the
    ORM calls the journey makes between steps are allowed explicitly for the module (Django's async guard)."""
    from playwright.sync_api import sync_playwright

    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield chromium
            chromium.close()
    finally:
        if old is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(autouse=True)
def journey_clock():
    """The journeys' moment (a working-day morning); it ticks, so the pages see time pass as a person would."""
    with time_machine.travel(JOURNEY_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Users are created and log in through the form in every journey; MD5 keeps that instant in tests only."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pages(browser, live_server):
    """pages.phone() (375×812, touch) / pages.desk() (1366×900): guarded pages on the live server; on the way out
    every guard is checked, so an unexpected script error, console error or 5xx fails the journey."""
    factory = Pages(browser, live_server.url)
    yield factory
    try:
        factory.check()
    finally:
        factory.close()


@pytest.fixture
def journey_now():
    """The journey's "now" for services called while building data (never the wall clock)."""
    return JOURNEY_NOW
