"""The client's paper as PDF (servicedesk/pdf.py): the service form (R-W10), the sales confirmation (R-S1), the key
account's monthly statement (R-S2) and the stamped resident report (R-R2), generated from the demo department
and read back the way a person would: the text (`pdftotext`), the embedded Chinese font (`pdffonts`), the pages
numbered "第 1 页 / 共 N 页", the client's drawn signature on the page, and the first page as a picture
(`pdftoppm`, kept in test-artifacts/pdf/ to look at). Permissions as the record's page (rule 6).

Poppler's tools are required (Debian poppler-utils; `.ci/run` installs it): a missing tool fails, never skips.
"""
import os
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client as Browser
from django.urls import reverse
from rest_framework.test import APIClient

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=SH)  # the demo's moment (tests/test_demo_pages.py)
ARTIFACTS = Path(os.environ.get("PDF_ARTIFACT_DIR") or Path(__file__).resolve().parent.parent / "test-artifacts" / "pdf")
POPPLER = ("pdftotext", "pdffonts", "pdftoppm", "pdfinfo")
YUAN = re.compile(r"¥\d{1,3}(?:,\d{3})*\.\d{2}")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install Debian's poppler-utils (apt-get install poppler-utils; .ci/run does)", pytrace=False)
    return path


def text_of(pdf: bytes, tmp_path: Path, name: str) -> str:
    file = tmp_path / f"{name}.pdf"
    file.write_bytes(pdf)
    return subprocess.run([tool("pdftotext"), "-layout", str(file), "-"], check=True, capture_output=True, text=True).stdout


def fonts_of(pdf_file: Path) -> str:
    return subprocess.run([tool("pdffonts"), str(pdf_file)], check=True, capture_output=True, text=True).stdout


def info_of(pdf_file: Path) -> str:
    return subprocess.run([tool("pdfinfo"), str(pdf_file)], check=True, capture_output=True, text=True).stdout


def first_page_png(pdf_file: Path, name: str, *, resolution: int = 60, page: int = 1) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / name
    subprocess.run(
        [tool("pdftoppm"), "-png", "-r", str(resolution), "-f", str(page), "-l", str(page), "-singlefile", str(pdf_file), str(out)],
        check=True,
    )
    return out.with_suffix(".png")


def yuan(amount) -> str:
    from servicedesk.templatetags.money import format_yuan

    return format_yuan(amount)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from demo.department import build

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            build(now=NOW)
            yield records()
            transaction.set_rollback(True)


def records() -> dict:
    from dispatch.models import CloseOut
    from dispatch.resident.models import ResidentReport
    from receivables.models import MonthlyStatement, SalesConfirmation

    # a charged visit with parts and a drawn signature, whose sale followed (R-S1)
    close_out = (
        CloseOut.objects.filter(work_order__visit_charge__lines__amount__gt=0, work_order__sales_confirmations__isnull=False)
        .exclude(signature_drawing="")
        .select_related("work_order", "work_order__client", "work_order__visit_charge", "technician")
        .order_by("-work_order__visit_charge__total", "work_order__number")
        .first()
    )
    confirmation = SalesConfirmation.objects.filter(work_order=close_out.work_order).select_related("client").first()
    statement = MonthlyStatement.objects.select_related("client").order_by("-amount", "number").first()
    report = ResidentReport.objects.filter(stamped_at__isnull=False).select_related("site__client", "technician", "stamped_by").order_by("month", "pk").first()
    assert close_out and confirmation and statement and report, "the demo has a charged visit, its sale, a statement, a stamped report"
    return {"close_out": close_out, "confirmation": confirmation, "statement": statement, "report": report}


def get(username: str, url: str):
    browser = Browser()
    assert browser.login(username=username, password="demo12345")
    with time_machine.travel(NOW, tick=False):
        return browser.get(url)


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def check_paper(pdf: bytes, tmp_path: Path, name: str) -> tuple[str, Path]:
    """Every document: A4, the Chinese font embedded (a subset), every page numbered "第 n 页 / 共 N 页",
    the first page kept as a PNG."""
    file = tmp_path / f"{name}.pdf"
    file.write_bytes(pdf)
    info = info_of(file)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    fonts = fonts_of(file)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in cjk), fonts  # embedded, subset, unicode
    text = text_of(pdf, tmp_path, name)
    squeezed = re.sub(r"\s+", "", text)
    for n in range(1, pages + 1):
        assert f"第{n}页/共{pages}页" in squeezed
    png = first_page_png(file, name)
    assert png.stat().st_size > 5_000
    return text, png


pytestmark = pytest.mark.django_db


def test_r_w10_service_form_pdf_shows_the_visit_its_charges_and_the_drawn_signature(demo, tmp_path):
    from billing.selectors import visit_charge_for
    from servicedesk.texts import render

    co = demo["close_out"]
    wo = co.work_order
    pdf = pdf_of(get("coord1", reverse("dispatch:service_form_pdf", args=[wo.pk])))
    text, png = check_paper(pdf, tmp_path, "service-form")
    flat = re.sub(r"\s+", "", text)
    assert "服务单" in text and wo.number in text
    assert wo.client.name in flat and co.technician.name in text
    assert re.sub(r"\s+", "", co.work_done) in flat and re.sub(r"\s+", "", co.fault_cause) in flat
    charge = visit_charge_for(wo)
    for line in charge.live_lines:  # every charge line: its price, and its reason as a sentence (rule 2)
        assert yuan(line.amount) in text
        with_language = render(line.explanation)
        assert re.sub(r"\s+", "", with_language)[:20] in flat
    assert f"合计" in text and yuan(charge.total) in text
    assert YUAN.search(text)
    assert co.signature_name in text
    assert co.started_at.astimezone(SH).strftime("%Y-%m-%d %H:%M") in text
    # the drawn signature (an SVG of pen strokes) is on the paper: black ink inside the signature box, which an
    # unsigned form leaves empty
    assert ink_in_signature_box(pdf, tmp_path, signed=True) > ink_in_signature_box(unsigned_copy(co), tmp_path, signed=False) + 200


def unsigned_copy(co) -> bytes:
    """The same service form rendered without the drawing (not saved)."""
    from dispatch import selectors
    from servicedesk.models import Staff
    from servicedesk.pdf import render_pdf

    context = selectors.service_form(work_order_id=co.work_order_id, viewer=Staff.objects.get(user__username="coord1"))
    context["drawing"] = ""
    return render_pdf(template="dispatch/service_form_pdf.html", context=context)


def ink_in_signature_box(pdf: bytes, tmp_path: Path, *, signed: bool) -> int:
    """Dark pixels of the page that holds "客户手写签名", right of its label column, in the signature's row."""
    from PIL import Image

    name = "service-form-signed" if signed else "service-form-unsigned"
    file = tmp_path / f"{name}.pdf"
    file.write_bytes(pdf)
    bbox = subprocess.run([tool("pdftotext"), "-bbox", str(file), "-"], check=True, capture_output=True, text=True).stdout
    pages = bbox.split("<page ")[1:]
    for number, page in enumerate(pages, start=1):
        label = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">客户手写签名</word>', page)
        if label:
            break
    else:
        raise AssertionError("no 客户手写签名 row")
    x_max, y_min = float(label.group(3)), float(label.group(2))
    dpi = 72
    png = first_page_png(file, name, resolution=dpi, page=number)
    image = Image.open(png).convert("L")
    box = (int(x_max) + 30, int(y_min) - 20, image.width - 50, min(image.height, int(y_min) + 120))
    region = image.crop(box)
    return sum(region.histogram()[:100])  # pixels darker than 100 of 255


def test_r_s1_sales_confirmation_pdf_has_its_number_lines_and_amounts(demo, tmp_path):
    conf = demo["confirmation"]
    pdf = pdf_of(get("finance", reverse("receivables:confirmation_pdf", args=[conf.pk])))
    text, _png = check_paper(pdf, tmp_path, "sales-confirmation")
    assert "销售确认书" in text and conf.number in text
    assert conf.client.name in re.sub(r"\s+", "", text)
    for line in conf.lines.all():
        assert yuan(line.amount) in text
    assert yuan(conf.amount) in text and YUAN.search(text)


def test_r_s2_monthly_statement_pdf_sums_the_clients_sales(demo, tmp_path):
    from receivables.selectors import statement_lines

    s = demo["statement"]
    pdf = pdf_of(get("finance", reverse("receivables:statement_pdf", args=[s.pk])))
    text, _png = check_paper(pdf, tmp_path, "monthly-statement")
    assert "对账单" in text and s.number in text and f"{s.month:%Y-%m}" in text
    assert s.client.name in re.sub(r"\s+", "", text)
    lines = list(statement_lines(s))
    assert lines
    for c in lines:
        assert c.number in text and yuan(c.amount) in text
    assert yuan(s.amount) in text and yuan(s.outstanding) in text


def test_r_r2_stamped_resident_report_pdf_shows_the_stamp(demo, tmp_path):
    report = demo["report"]
    pdf = pdf_of(get("gm", reverse("dispatch:resident:pdf", args=[report.pk])))
    text, _png = check_paper(pdf, tmp_path, "resident-report")
    flat = re.sub(r"\s+", "", text)
    assert "驻场服务月度报表" in text and f"{report.month:%Y-%m}" in text
    assert report.technician.name in text and report.site.client.name in flat
    stamped = report.stamped_at.astimezone(SH).strftime("%Y-%m-%d%H:%M")
    assert f"总经办{report.stamped_by.name}于{stamped}盖章" in flat


def test_english_on_request_chinese_by_default(demo, tmp_path):
    conf = demo["confirmation"]
    url = reverse("receivables:confirmation_pdf", args=[conf.pk])
    english = text_of(pdf_of(get("finance", url + "?lang=en")), tmp_path, "en")
    assert "Sales confirmation" in english and "Page 1 of" in english and "销售确认书" not in english
    assert "销售确认书" in text_of(pdf_of(get("finance", url + "?lang=fr")), tmp_path, "fr")


# ------------------------------------------------------------------------------------------- permissions (rule 6)
def test_a_technician_who_may_not_see_the_work_order_gets_404_for_its_service_form(demo):
    from servicedesk.models import Staff

    co = demo["close_out"]
    other = Staff.objects.filter(user__groups__name="technician").exclude(pk=co.technician_id).exclude(pk=co.work_order.technician_id).order_by("pk").first()
    other.user.set_password("demo12345")
    other.user.save()
    assert get(other.user.username, reverse("dispatch:service_form_pdf", args=[co.work_order_id])).status_code == 404
    api = APIClient()
    api.force_authenticate(other.user)
    with time_machine.travel(NOW, tick=False):
        assert api.get(f"/api/work-orders/{co.work_order_id}/service-form/pdf/").status_code == 404
        api.force_authenticate(co.technician.user)  # the technician who filled it
        answer = api.get(f"/api/work-orders/{co.work_order_id}/service-form/pdf/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"


def test_the_statement_pdf_only_for_the_roles_of_its_page(demo):
    s = demo["statement"]
    url = reverse("receivables:statement_pdf", args=[s.pk])
    for username in ("finance", "manager", "coord1"):
        assert get(username, url).status_code == 200, username
    for username in ("tech1", "supervisor", "gm"):
        assert get(username, url).status_code == 404, username
    from servicedesk.models import Staff

    api = APIClient()
    api.force_authenticate(Staff.objects.get(user__username="sales").user)  # reads statements through the API
    with time_machine.travel(NOW, tick=False):
        assert api.get(f"/api/receivables/statements/{s.pk}/pdf/").status_code == 200
        api.force_authenticate(Staff.objects.get(user__username="tech1").user)
        assert api.get(f"/api/receivables/statements/{s.pk}/pdf/").status_code == 403


def test_confirmation_and_report_pdfs_are_hidden_from_other_technicians(demo):
    from servicedesk.models import Staff

    conf, report = demo["confirmation"], demo["report"]
    other = Staff.objects.filter(user__groups__name="technician").exclude(pk=conf.technician_id).exclude(pk=report.technician_id).order_by("pk").first()
    api = APIClient()
    api.force_authenticate(other.user)
    with time_machine.travel(NOW, tick=False):
        assert api.get(f"/api/receivables/confirmations/{conf.pk}/pdf/").status_code == 404
        assert api.get(f"/api/resident-reports/{report.pk}/pdf/").status_code == 404
        api.force_authenticate(report.technician.user)
        assert api.get(f"/api/resident-reports/{report.pk}/pdf/").status_code == 200
    browser = Browser()
    browser.force_login(other.user)
    with time_machine.travel(NOW, tick=False):
        assert browser.get(reverse("receivables:confirmation_pdf", args=[conf.pk])).status_code == 404
        assert browser.get(reverse("dispatch:resident:pdf", args=[report.pk])).status_code == 404


def test_each_record_page_links_its_pdf(demo):
    co, conf, s, report = demo["close_out"], demo["confirmation"], demo["statement"], demo["report"]
    pages = [
        ("coord1", reverse("dispatch:service_form", args=[co.work_order_id]), reverse("dispatch:service_form_pdf", args=[co.work_order_id])),
        ("coord1", reverse("servicedesk:work_order_detail", args=[co.work_order_id]), reverse("dispatch:service_form_pdf", args=[co.work_order_id])),
        ("finance", reverse("receivables:confirmation_detail", args=[conf.pk]), reverse("receivables:confirmation_pdf", args=[conf.pk])),
        ("finance", reverse("receivables:statement_detail", args=[s.pk]), reverse("receivables:statement_pdf", args=[s.pk])),
        ("gm", reverse("dispatch:resident:report", args=[report.pk]), reverse("dispatch:resident:pdf", args=[report.pk])),
    ]
    for username, page, pdf_url in pages:
        body = get(username, page).content.decode()
        assert f'href="{pdf_url}"' in body, page
    phone = Browser()  # the technician shows the client the confirmation on the phone (R-S1)
    phone.force_login(conf.technician.user)
    with time_machine.travel(NOW, tick=False):
        body = phone.get(reverse("receivables:sale", args=[conf.pk])).content.decode()
    assert f'href="{reverse("receivables:confirmation_pdf", args=[conf.pk])}"' in body


# ------------------------------------------------------------------------------------------- a missing system part
def test_a_missing_cjk_font_is_a_503_naming_the_package(demo, monkeypatch):
    from servicedesk import pdf

    monkeypatch.setattr(pdf, "_cjk_family_found", lambda: "DejaVu Sans")
    conf = demo["confirmation"]
    response = get("finance", reverse("receivables:confirmation_pdf", args=[conf.pk]))
    assert response.status_code == 503
    body = response.content.decode()
    assert "无法生成 PDF" in body and "apt-get install fonts-noto-cjk" in body
    api = APIClient()
    from servicedesk.models import Staff

    api.force_authenticate(Staff.objects.get(user__username="finance").user)
    with time_machine.travel(NOW, tick=False):
        answer = api.get(f"/api/receivables/confirmations/{conf.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503 and "fonts-noto-cjk" in answer.json()["detail"]


def test_missing_pango_is_named(monkeypatch):
    import builtins

    from servicedesk import pdf

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pango)
    with pytest.raises(pdf.PdfUnavailable) as exc:
        pdf.check_available()
    assert "apt-get install libpango-1.0-0" in exc.value.message


def test_a_long_confirmation_runs_over_pages_numbered_and_amounts_keep_thousands(db, tmp_path):
    """¥1,234.50 as the product writes money (rule 7); a sale of 40 lines runs over several A4 pages, each
    numbered "第 n 页 / 共 N 页", the table's head repeated."""
    from servicedesk.choices import Role
    from servicedesk.pdf import render_pdf
    from tests.factories import staff_with
    from tests.receivables.factories import at, key_account
    from receivables import services
    from receivables.selectors import confirmation_document

    technician = staff_with(Role.TECHNICIAN, name="王技术")
    conf = services.create_confirmation(
        client=key_account(name="深圳市南山区税务局"), technician=technician, sold_on=NOW.date(), now=at(2026, 11, 20), by=technician,
        lines=[{"description": f"激光打印机硒鼓 {n}", "quantity": "1", "unit_price": "1234.50"} for n in range(1, 41)],
    )
    pdf = render_pdf(template="receivables/confirmation_pdf.html", context={"conf": confirmation_document(technician).get(pk=conf.pk)})
    text, _png = check_paper(pdf, tmp_path, "sales-confirmation-long")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert text.count("¥1,234.50") == 80  # unit price and amount of each of the 40 lines
    assert text.count("¥49,380.00") == 2  # 40 × ¥1,234.50, invoiced and outstanding — once, after the last line
    assert all("品名/服务内容" in p for p in pages if "¥1,234.50" in p)  # the head on every page of the table
