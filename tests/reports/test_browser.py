"""The monthly report in real headless Chromium: the five charts are drawn (SVG), every chart's table and the
technicians' rows are present, at 1280 px and on a 375 px phone, with no horizontal page scroll."""
import os

import pytest
from django.test import Client

from reports import services

from .conftest import NOV, at

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("REPORT_SCREENSHOTS", "/tmp/h12-shots")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

CHARTS_JS = """() => [...document.querySelectorAll('.chart')].map(el => ({
  id: el.id, drawn: el.getAttribute('data-drawn') === '1',
  shapes: el.querySelectorAll('svg path, svg rect').length,
  width: el.getBoundingClientRect().width, right: el.getBoundingClientRect().right,
}))"""


def _session(staff):
    c = Client()
    c.force_login(staff.user)
    return c.cookies["sessionid"].value


def test_manager_report_draws_its_charts_at_1280_and_375(live_server, month_data, manager, technician):
    sync_api = pytest.importorskip("playwright.sync_api")
    services.compile_month(month=NOV, by=manager, now=at(23, 12))
    os.makedirs(SHOTS, exist_ok=True)
    sessions = {"manager": _session(manager), "technician": _session(technician)}  # before playwright's event loop
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width, height, mobile in ((1280, 900, False), (375, 812, True)):
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=mobile, has_touch=mobile)
                context.add_cookies([{"name": "sessionid", "value": sessions["manager"], "url": live_server.url}])
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(f"{live_server.url}/reports/?month=2026-11")
                page.wait_for_function("document.querySelectorAll('.chart[data-drawn=\"1\"]').length === 5", timeout=10000)
                charts = page.evaluate(CHARTS_JS)
                assert errors == []
                assert [c["id"] for c in charts] == ["chart-visits", "chart-quality", "chart-ranking", "chart-ageing", "chart-coverage"]
                for c in charts:
                    assert c["drawn"] and c["shapes"] > 3, c
                    assert c["right"] <= width + 0.5, c
                rows = page.locator("#technicians tbody tr").all_inner_texts()
                assert any(r.startswith("王技术") for r in rows) and any(r.startswith("钱空闲") for r in rows)
                assert page.locator("table.chart-table").count() == 5
                assert page.locator("table[data-chart=visits] tbody tr").count() == 12
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=f"{SHOTS}/report-{width}.png", full_page=True)
                page.locator(".chart-card").nth(1).screenshot(path=f"{SHOTS}/report-{width}-quality-chart.png")
                page.locator(".chart-card").nth(4).screenshot(path=f"{SHOTS}/report-{width}-coverage-chart.png")
                context.close()
            # the technician's own month on the phone
            context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": sessions["technician"], "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/reports/my/?month=2026-11")
            assert page.locator("[data-figure=resolved_visits]").inner_text() == "3 / 45"
            assert page.locator("[data-figure=very_satisfied_rate]").inner_text() == "50.00 %"
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map(e => e.tagName)""")
            assert wide == [] and page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=f"{SHOTS}/my-report-375.png", full_page=True)
            context.close()
        finally:
            browser.close()
