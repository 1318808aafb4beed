"""What every journey shares: a page as a phone or a desk sees it, a guard that fails the journey on any browser
error it did not expect, logging in through the login form, and the screen checks (no horizontal scrolling on a
phone, screenshots only when SCREENSHOT_DIR is set). Builds on tests/browser.py (chromium, assert_fits, shot)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from ..browser import assert_fits, shot

SH = ZoneInfo("Asia/Shanghai")
# The moment every journey runs at (a Thursday morning, a PRC working day): the live server's clock is moved here
# and ticks from it, so pages that read the clock and the data the journey builds agree.
JOURNEY_NOW = datetime(2026, 12, 3, 10, 0, tzinfo=SH)
PASSWORD = "journey-pass-2026"  # every journey user's password, typed into the login form
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 900}, "is_mobile": False, "has_touch": False}


@dataclass
class Guard:
    """Records what a person would see go wrong: uncaught script errors, console errors and server errors (>= 500).
    `expect(pattern)` allows a message the journey provokes on purpose; `check()` fails on anything else."""

    label: str
    problems: list[str] = field(default_factory=list)
    expected: list[re.Pattern] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("pageerror", lambda exc: self.problems.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text} @ {page.url}"))
        page.on("response", lambda r: r.status >= 500 and self.problems.append(f"HTTP {r.status}: {r.request.method} {r.url}"))

    def expect(self, pattern: str) -> None:
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(e.search(p) for e in self.expected)]

    def check(self) -> None:
        bad = self.unexpected()
        assert not bad, f"{self.label}: the browser reported errors:\n" + "\n".join(bad)


class Pages:
    """`pages.phone()` / `pages.desk()` → a Playwright page in a fresh context (zh-CN, its own cookies), guarded.
    Every page's guard is checked when the test ends (and whenever the journey calls `pages.check()`)."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.contexts, self.guards = [], []

    def open(self, kind: str, label: str = ""):
        context = self.browser.new_context(
            base_url=self.base_url, locale="zh-CN", timezone_id="Asia/Shanghai", device_scale_factor=1,
            **(PHONE if kind == "phone" else DESK),
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.guard = Guard(label or kind)
        page.guard.attach(page)
        page.phone = kind == "phone"
        self.guards.append(page.guard)
        return page

    def phone(self, label: str = "phone"):
        return self.open("phone", label)

    def desk(self, label: str = "desk"):
        return self.open("desk", label)

    def check(self) -> None:
        for guard in self.guards:
            guard.check()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in as a person does: open the login page, type the username and password, click 登录."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/login/" not in page.url, f"login as {username} failed: {page.inner_text('main') if page.locator('main').count() else page.content()[:500]}"


def visit(page, path: str):
    """Open a page and fail on a server error status (the guard would record it too, this names the page)."""
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
    return response


def submit(page, selector: str) -> None:
    """Click a submit button and wait for the page it leads to (the browser's own validation runs first: a click that
    validation blocks never navigates, and the wait fails naming the invalid fields)."""
    from playwright.sync_api import TimeoutError as NoNavigation

    try:
        with page.expect_navigation(timeout=10_000):
            page.click(selector)
    except NoNavigation as exc:  # say which fields the browser refused
        invalid = page.evaluate(
            "() => [...document.querySelectorAll(':invalid')].filter(e => e.name)"
            ".map(e => e.name + ': ' + e.validationMessage)"
        )
        raise AssertionError(f"clicking {selector} did not submit; invalid fields: {invalid}") from exc


def screen(page, name: str) -> None:
    """A screenshot when SCREENSHOT_DIR is set; on a phone also: nothing scrolls sideways."""
    if page.phone:
        assert_fits(page, name)
    else:
        shot(page, name)


def text(page, selector: str = "main") -> str:
    return page.inner_text(selector)


def draw_signature(page, selector: str = "#signature-pad") -> None:
    """A signature drawn with a finger: real touch events (Chrome DevTools' Input.dispatchTouchEvent) on a phone
    page, the mouse on a desk page — a zig-zag across the canvas."""
    canvas = page.locator(selector)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    points = [(box["x"] + 20 + i * 22, box["y"] + 40 + (i % 3) * 35) for i in range(12)]
    if page.phone:
        cdp = page.context.new_cdp_session(page)
        x, y = points[0]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for x, y in points[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        cdp.detach()
    else:
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y)
        page.mouse.up()
