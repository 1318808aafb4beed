"""The monthly report in real headless Chromium: the five charts are drawn (SVG), every chart's table and the
technicians' rows are present, at 1280 px and on a 375 px phone, with no horizontal page scroll."""
from reports import services

from ..browser import SHOTS, assert_fits, chromium, marks, new_page, session_of, shot
from .conftest import NOV, at

pytestmark = marks

CHARTS_JS = """() => [...document.querySelectorAll('.chart')].map(el => ({
  id: el.id, drawn: el.getAttribute('data-drawn') === '1',
  shapes: el.querySelectorAll('svg path, svg rect').length,
  width: el.getBoundingClientRect().width, right: el.getBoundingClientRect().right,
}))"""


def test_manager_report_draws_its_charts_at_1280_and_375(live_server, month_data, manager, technician):
    services.compile_month(month=NOV, by=manager, now=at(23, 12))
    sessions = {"manager": session_of(manager), "technician": session_of(technician)}  # before playwright's event loop
    with chromium() as browser:
        for width, height in ((1280, 900), (375, 812)):
            page = new_page(browser, live_server, sessions["manager"], width=width, height=height)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/reports/?month=2026-11")
            page.wait_for_function("() => document.querySelectorAll('.chart[data-drawn=\"1\"]').length === 5", timeout=10000)
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
            shot(page, f"report-{width}")
            if SHOTS:
                page.locator(".chart-card").nth(1).screenshot(path=f"{SHOTS}/report-{width}-quality-chart.png")
                page.locator(".chart-card").nth(4).screenshot(path=f"{SHOTS}/report-{width}-coverage-chart.png")
            page.context.close()
        # the technician's own month on the phone
        page = new_page(browser, live_server, sessions["technician"])
        page.goto(f"{live_server.url}/reports/my/?month=2026-11")
        assert page.locator("[data-figure=resolved_visits]").inner_text() == "3 / 45"
        assert page.locator("[data-figure=very_satisfied_rate]").inner_text() == "50.00 %"
        assert_fits(page, "my-report-375")
