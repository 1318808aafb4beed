"""The Content-Security-Policy in Chromium (docs/deployment.md): a refused inline script shows as a console error, so
the guard of every journey fails on a violation; and the pages that are not ours — the Django admin with
django-import-export and django-simple-history, DRF's browsable API, Swagger UI and Redoc from the sidecar — work
under the policy without one."""
import pytest

from servicedesk.choices import Role

from .builders import client_with_device, person
from .helpers import login, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)


def test_an_inline_script_is_refused_and_the_guard_reports_it(pages, journey_now):
    person("csp-coord", "郭协调", Role.COORDINATOR, now=journey_now)
    page = pages.desk("inline")
    login(page, "csp-coord")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.ranInline = true';
                   document.body.appendChild(s);
                   const b = document.createElement('button'); b.id = 'inline-handler';
                   b.setAttribute('onclick', 'window.ranHandler = true'); document.body.appendChild(b); }"""
    )
    page.click("#inline-handler")
    page.wait_for_timeout(100)
    assert page.evaluate("() => [window.ranInline === true, window.ranHandler === true]") == [False, False]
    with pytest.raises(AssertionError, match="Content Security Policy"):
        page.guard.check()
    page.guard.expect("Content Security Policy")  # provoked on purpose


def test_admin_api_browser_and_api_docs_work_under_the_policy(reference_data, pages, journey_now):
    boss = person("csp-admin", "管理员甲", Role.ADMIN, now=journey_now)
    boss.user.is_staff = boss.user.is_superuser = True
    boss.user.save(update_fields=["is_staff", "is_superuser"])
    client, _site, equipment = client_with_device("华强电子")
    page = pages.desk("back office")
    login(page, "csp-admin")

    # the admin: index, a list, a form with the date widget, the import page, a record's history
    visit(page, "/admin/")
    visit(page, "/admin/servicedesk/client/")
    assert "华强电子" in text(page, "#result_list")
    visit(page, f"/admin/servicedesk/equipment/{equipment.pk}/change/")
    page.wait_for_selector(".datetimeshortcuts")  # DateTimeShortcuts.js ran: 今天 and the calendar link
    visit(page, "/admin/servicedesk/equipment/import/")
    visit(page, f"/admin/servicedesk/client/{client.pk}/history/")

    # DRF's browsable API: the page, its scripts (the raw-data form toggles) and the JSON under it
    visit(page, "/api/clients/")
    assert "华强电子" in text(page, "body")
    page.wait_for_function("() => typeof window.jQuery === 'function'")

    # Swagger UI (start-up script served as a file) draws the operations from the schema
    visit(page, "/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30_000)
    assert "servicedesk API" in text(page, "body")

    # Redoc (no outside fonts, no inline script) draws the same schema
    visit(page, "/api/redoc/")
    page.wait_for_selector("h1:has-text('servicedesk API')", timeout=30_000)
    page.wait_for_timeout(500)  # its search worker starts after the first paint


def test_the_board_refresh_pauses_while_a_picker_is_in_use(pages, journey_now):
    """The 5-second refresh of the dispatch board skips its turn while the coordinator is in a form on the board (a
    cancelled htmx request in board.js, where it used to be an hx-trigger filter, i.e. evaluated code) and resumes after."""
    from .builders import order_for

    coordinator = person("csp-board", "张协调", Role.COORDINATOR, now=journey_now)
    person("csp-tech", "王技术", Role.TECHNICIAN, now=journey_now, area="福田区")
    order_for(client_with_device("深圳市看板客户有限公司", serial="SN-BOARD-1")[2], by=coordinator, now=journey_now)
    page = pages.desk("board")
    login(page, "csp-board")
    polls = []
    page.on("request", lambda r: "/dispatch/board/partial" in r.url and polls.append(r.url))
    visit(page, "/dispatch/board/")
    picker = page.locator("#board select.tech-pick").first
    picker.focus()
    assert page.locator("#board select.tech-pick").first.locator("option", has_text="王技术").count() >= 1  # copied in
    page.wait_for_timeout(11_000)  # two turns of the refresh
    assert polls == []
    page.locator("h1").click()  # out of the form
    page.wait_for_timeout(6_000)
    assert len(polls) >= 1


def test_behaviour_moved_into_script_files_still_works(reference_data, pages, journey_now):
    """What the templates did inline now runs from servicedesk/static/servicedesk/js/: a rule parameter's "加一行", the
    work-order list filtering as soon as a status is picked, the print buttons and the "返回" link."""
    person("csp-mgr", "李经理", Role.MANAGER, now=journey_now)
    page = pages.desk("manager")
    login(page, "csp-mgr")

    visit(page, "/core/parameters/")
    form = page.locator("form:has([data-add-row])").first
    form.locator("xpath=ancestor::details[1]/summary").click()  # 新增版本
    rows = form.locator("table[data-rows] tbody tr")
    before = rows.count()
    form.locator("[data-add-row]").click()
    assert rows.count() == before + 1
    names = rows.nth(before).locator("input, select").evaluate_all("els => els.map(e => e.name)")
    assert names and all(n.startswith(f"value__{before}") for n in names), names
    assert rows.nth(before).locator("td").first.inner_text() == str(before + 1)

    visit(page, "/core/work-orders/")
    with page.expect_navigation():
        page.select_option("#status", "resolved")
    assert "status=resolved" in page.url and page.locator("#status").input_value() == "resolved"

    # data-print prints, data-back goes back (app.js, loaded by every page)
    page.evaluate("""() => { window.printed = 0; window.print = () => { window.printed += 1; };
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<button type="button" id="p" data-print>打印</button><a id="b" href="/" data-back>返回</a>'); }""")
    page.click("#p")
    assert page.evaluate("() => window.printed") == 1
    with page.expect_navigation():
        page.click("#b")
    assert page.url.endswith("/core/work-orders/")  # the page before, not the link's own address (/)
