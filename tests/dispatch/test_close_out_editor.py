"""R-W10: the dynamic close-out line editor, the resolved visit shown after resolving,
the drawn signature (validated SVG data URL) on the printable service form."""
import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch import services
from dispatch.models import CloseOut

from .helpers import close_out_fields, drive

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 150" width="300" height="150"><path d="M 10 10 L 120 80" stroke-width="2.000" stroke="#111" fill="none" stroke-linecap="round"></path></svg>'


def _data_url(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@pytest.fixture
def on_site(order, coordinator, technician, fixed_now):
    arrived = drive(order, to="on_site", coordinator=coordinator, technician=technician, now=fixed_now - timedelta(hours=1))
    return order, arrived


def _post(client, wo, arrived, **extra):
    local = lambda dt: timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = {
        "work_done": "更换硒鼓", "fault_cause": "硒鼓老化", "advice": "用原装耗材", "signature_name": "王经理",
        "started_at": local(arrived + timedelta(minutes=2)), "ended_at": local(arrived + timedelta(minutes=40)),
        "completed_at": local(arrived + timedelta(minutes=45)), "version": wo.version,
    }
    data.update(extra)
    return client.post(reverse("dispatch:close_out", args=[wo.pk]), data)


def test_editor_lists_items_by_kind_with_human_labels_and_one_row_to_start(client, technician, on_site):
    wo, _arrived = on_site
    client.force_login(technician.user)
    html = client.get(reverse("dispatch:close_out", args=[wo.pk])).content.decode()
    assert html.count('class="line-row"') == 2  # one row + the "add line" template
    assert 'value="os_install" data-kind="software"' in html and 'value="lcd_monitor" data-kind="repair"' in html
    assert 'value="os_install" data-kind="part"' not in html  # no software item under "part"
    assert "操作系统安装" in html and "添加一行" in html and "删除" in html
    assert "signature_pad-5.1.4.umd.min.js" in html and 'name="signature_drawing"' in html


def test_add_line_without_javascript_adds_a_row_and_saves_nothing(client, technician, on_site):
    wo, arrived = on_site
    client.force_login(technician.user)
    r = _post(client, wo, arrived, **{"line-0-kind": "part", "line-0-cost": "100", "add_line": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="line-1-kind"' in html and not CloseOut.objects.exists()


def test_rows_with_gaps_and_many_lines_are_all_recorded(client, technician, on_site):
    wo, arrived = on_site
    client.force_login(technician.user)
    r = _post(
        client, wo, arrived,
        **{
            "line-0-kind": "part", "line-0-cost": "200", "line-0-installed": "1",
            # row 1 was removed on the page
            "line-2-kind": "software", "line-2-item": "os_install",
            "line-3-kind": "repair", "line-3-item": "lcd_monitor",
            "line-4-kind": "consumable", "line-4-item": "os_install", "line-4-cost": "10",  # stale item: follows its kind
        },
    )
    assert r.status_code == 302
    lines = CloseOut.objects.get(work_order=wo).lines
    assert [(l["kind"], l["item"]) for l in lines] == [("part", "other"), ("software", "os_install"), ("repair", "lcd_monitor"), ("consumable", "other")]


def test_wrong_item_for_kind_is_named_with_labels_not_codes(client, technician, on_site):
    wo, arrived = on_site
    client.force_login(technician.user)
    r = _post(client, wo, arrived, **{"line-0-kind": "software", "line-0-item": "lcd_monitor"})
    html = r.content.decode()
    assert r.status_code == 200 and "第 1 行" in html and "软件" in html and "液晶显示器维修" in html
    assert "lcd_monitor”" not in html and not CloseOut.objects.exists()


def test_live_quote_prices_every_row(client, technician, on_site):
    wo, _arrived = on_site
    client.force_login(technician.user)
    r = client.post(
        reverse("dispatch:quote", args=[wo.pk]),
        {"line-0-kind": "part", "line-0-cost": "200", "line-5-kind": "software", "line-5-item": "os_install"},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "1. <span class=\"money\">¥" in html and "2. <span class=\"money\">¥" in html and "合计" in html


def test_back_after_resolving_shows_the_resolved_visit(client, technician, on_site):
    wo, arrived = on_site
    client.force_login(technician.user)
    r = _post(client, wo, arrived, signature_drawing=_data_url(SVG), **{"line-0-kind": "part", "line-0-cost": "200"})
    assert r.status_code == 302 and r["Location"] == reverse("dispatch:service_form", args=[wo.pk])
    # the browser's back button: the close-out URL again → the resolved visit, not a blank form
    r = client.get(reverse("dispatch:close_out", args=[wo.pk]), follow=True)
    html = r.content.decode()
    assert r.redirect_chain[-1][0] == reverse("dispatch:service_form", args=[wo.pk])
    assert "更换硒鼓" in html and "王经理" in html and 'name="work_done"' not in html
    # the close-out form is never served from the browser cache
    r = client.get(reverse("dispatch:close_out", args=[wo.pk]))
    assert "no-store" in r.get("Cache-Control", "") or r.status_code == 302


def test_drawn_signature_is_stored_and_shown_as_an_image_on_the_printable_form(client, coordinator, technician, on_site):
    wo, arrived = on_site
    fields = close_out_fields(arrived, signature_drawing=_data_url(SVG))
    services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    co = CloseOut.objects.get(work_order=wo)
    assert co.signature_drawing.startswith("data:image/svg+xml;base64,") and co.signature_name == "王经理"
    for who in (technician, coordinator):
        client.force_login(who.user)
        html = client.get(reverse("dispatch:service_form", args=[wo.pk])).content.decode()
        assert f'<img src="{co.signature_drawing}"' in html and "<svg" not in html and "打印服务单" in html
        # the client sees what they pay, never the internal cost (硒鼓 cost ¥200.00)
        assert "合计" in html and "¥200.00" not in html


def test_service_form_hidden_from_other_technicians(client, other_technician, technician, on_site):
    wo, arrived = on_site
    fields = close_out_fields(arrived)
    services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    client.force_login(other_technician.user)
    assert client.get(reverse("dispatch:service_form", args=[wo.pk])).status_code == 404


@pytest.mark.parametrize(
    "value, message",
    [
        ("data:image/png;base64,iVBORw0KGgo=", "格式无效"),
        ("javascript:alert(1)", "格式无效"),
        ("data:image/svg+xml;base64,@@not-base64@@", "格式无效"),
        (_data_url(b"<html><body>hi</body></html>"), "格式无效"),
        (_data_url(SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>")), "不允许"),
        (_data_url(SVG.replace(b"<path ", b'<path onload="alert(1)" ')), "不允许"),
        (_data_url(SVG.replace(b"</svg>", b'<image href="https://evil.example/x.png"/></svg>')), "不允许"),
        (_data_url(SVG + b" " * 200_000), "过大"),
    ],
)
def test_a_bad_drawing_is_refused_with_the_field_named_and_nothing_saved(on_site, technician, value, message):
    wo, arrived = on_site
    fields = close_out_fields(arrived, signature_drawing=value)
    with pytest.raises(services.ValidationError) as exc:
        services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    assert message in " ".join(exc.value.message_dict["signature_drawing"])
    wo.refresh_from_db()
    assert wo.status == "on_site" and not CloseOut.objects.exists()


def test_no_drawing_is_fine_the_typed_name_is_the_signature(on_site, technician):
    wo, arrived = on_site
    fields = close_out_fields(arrived)
    co = services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    assert co.signature_drawing == "" and co.signature_name == "王经理"
