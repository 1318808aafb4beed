"""The journeys' own tools fail when they should: the guard catches a script error and a server error, and the
login through the form lands a person on their home page."""
import pytest

from servicedesk.choices import Role

from .builders import person
from .helpers import login, visit


def test_login_through_the_form_and_the_guard_catches_a_script_error(pages, journey_now):
    person("guard-coord", "郭协调", Role.COORDINATOR, now=journey_now)
    page = pages.desk("guard")
    login(page, "guard-coord")
    assert page.url.endswith("/") and "/accounts/" not in page.url  # the home page
    assert "郭协调" in page.inner_text("body")
    page.guard.check()  # a normal home page: nothing to report
    page.evaluate("() => setTimeout(() => { throw new Error('boom in a handler') }, 0)")
    page.wait_for_timeout(100)
    with pytest.raises(AssertionError, match="boom in a handler"):
        page.guard.check()
    page.guard.expect("boom in a handler")  # provoked on purpose: the fixture's final check lets it pass


def test_a_wrong_password_stays_on_the_login_page(pages, journey_now):
    person("guard-tech", "郭技术", Role.TECHNICIAN, now=journey_now)
    page = pages.phone("wrong password")
    with pytest.raises(AssertionError, match="login as guard-tech failed"):
        login(page, "guard-tech", "not-the-password")
    assert "用户名或密码不正确" in page.inner_text("body")
    visit(page, "/accounts/login/")
