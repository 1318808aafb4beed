"""What the page tests in real headless Chromium share: Debian's chromium driven by Playwright (never
`playwright install`), a logged-in page at a phone's or a desk's width, the "fits without horizontal scrolling"
check and optional screenshots (SCREENSHOT_DIR=… to keep them and look at them)."""
import os
from contextlib import contextmanager

import pytest
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")

# a module's `pytestmark`: a live server with committed data, skipped with a reason where Debian's chromium is absent
marks = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 0.5)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  const small = [...document.querySelectorAll('main button, main .btn, main input:not([type=hidden]), main select')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 40).map(e => e.outerHTML.slice(0, 80));
  const header = document.querySelector('header.top');
  return {width: w, scrollWidth: document.documentElement.scrollWidth, wide, small,
          header: header ? header.getBoundingClientRect().height : 0};
}"""


def session_of(staff) -> str:
    """A session cookie value for `staff` — made before Playwright's event loop starts (no ORM inside it)."""
    c = Client()
    c.force_login(staff.user)
    return c.cookies["sessionid"].value


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, live_server, session: str | None = None, *, width: int = 375, height: int = 812):
    """A page in a context of its own: a phone (touch, mobile viewport) below 600 px, a desk above; zh-CN."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, locale="zh-CN", is_mobile=phone, has_touch=phone,
    )
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context.new_page()


def shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name if name.endswith(".png") else f"{name}.png"), full_page=True)


def assert_fits(page, name: str | None = None, *, width: int = 375) -> dict:
    """No horizontal scrolling and no visible element past the right edge; keeps a screenshot when asked to."""
    if name:
        shot(page, name)
    res = page.evaluate(OVERFLOW_JS)
    assert res["scrollWidth"] <= width, res
    assert res["wide"] == [], res
    return res
