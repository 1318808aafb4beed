"""The close-out (R-W10) in a real browser at 375 px (rule 7): add/remove lines, items filtered by kind, live price,
a drawn signature, the printable service form, and "back" after resolving."""
from datetime import timedelta


from dispatch import services
from dispatch.models import CloseOut

from ..browser import assert_fits, chromium, marks, new_page, session_of

pytestmark = marks


def test_close_out_editor_signature_and_service_form_on_a_phone(live_server, coordinator, technician, order, monkeypatch, fixed_now):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM checks between browser steps
    now = fixed_now - timedelta(minutes=30)  # on site half an hour before the test clock; the browser closes out "now"
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=now)
    services.accept(work_order=order, by=technician, now=now)
    services.contact(work_order=order, by=technician, promised_at=now + timedelta(hours=1), now=now)
    services.depart(work_order=order, by=technician, now=now)
    services.arrive(work_order=order, by=technician, now=now)
    session = session_of(technician)
    with chromium() as browser:
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/dispatch/my/{order.pk}/close-out/")
        page.wait_for_load_state("load")
        assert page.locator("#line-rows .line-row").count() == 1
        # add two lines, remove the second: the list is dynamic
        page.click("#add-line")
        page.click("#add-line")
        assert page.locator("#line-rows .line-row").count() == 3
        page.locator("#line-rows .line-row").nth(1).locator("[data-role=remove]").click()
        assert page.locator("#line-rows .line-row").count() == 2
        first, second = page.locator("#line-rows .line-row").nth(0), page.locator("#line-rows .line-row").nth(1)
        first.locator("select[data-role=kind]").select_option("part")
        first.locator("input[name$=-cost]").fill("200")
        # a software line offers only software items, with human labels
        second.locator("select[data-role=kind]").select_option("software")
        visible = second.locator("select[data-role=item] option:not([disabled])").all_inner_texts()
        assert visible == ["操作系统安装", "Office 及常用工具软件安装"]
        # the part line has one item (priced from cost): no item choice shown
        assert not first.locator("[data-role=item-wrap]").is_visible()
        # the live quote reprices after each change (htmx): wait for both lines, not just the first render
        page.wait_for_function("() => document.querySelector('#quote').innerText.includes('2. ¥')", timeout=15000)
        assert "1. ¥" in page.inner_text("#quote") and "合计" in page.inner_text("#quote")
        for name, value in (("work_done", "更换硒鼓并安装系统"), ("fault_cause", "硒鼓老化"), ("advice", "使用原装耗材"), ("signature_name", "王经理")):
            page.fill(f"[name={name}]", value)
        # the client signs with a finger
        page.locator("#signature-pad").scroll_into_view_if_needed()
        box = page.locator("#signature-pad").bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + 40)
        page.mouse.down()
        for i in range(1, 12):
            page.mouse.move(box["x"] + 20 + i * 25, box["y"] + 40 + (i % 3) * 30)
        page.mouse.up()
        assert_fits(page, "technician-close-out-375")
        page.click("#submit-close-out")
        page.wait_for_url(f"**/dispatch/work-orders/{order.pk}/service-form/")
        co = CloseOut.objects.get(work_order=order)
        assert co.signature_drawing.startswith("data:image/svg+xml;base64,")
        assert [(l["kind"], l["item"]) for l in co.lines] == [("part", "other"), ("software", "os_install")]
        img = page.locator(".sig img")
        assert img.count() == 1 and img.evaluate("e => e.naturalWidth") > 0
        assert_fits(page, "technician-service-form-375")
        # back: the resolved visit, never a blank close-out form
        page.go_back()
        page.wait_for_load_state("load")
        assert "/service-form/" in page.url and page.locator("[name=work_done]").count() == 0
