"""Hardening: strict money input (rule 1), date filters that never 500, DEBUG off in production, API docs
behind a setting, 404 (not 403) on someone else's work order (rule 6)."""
import os
import subprocess
import tempfile
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

from billing.models import VisitCharge
from servicedesk.errors import DomainError
from servicedesk.money import MoneyFormField, parse_money
from tests.billing.factories import line, retail
from tests.factories import WorkOrderFactory

ROOT = Path(__file__).resolve().parents[2]
QUOTE = "/api/billing/quote-preview/"


# --------------------------------------------------------------------------- money (rule 1)
@pytest.mark.parametrize(
    "raw, expected",
    [("1280.5", "1280.50"), ("0.01", "0.01"), (" 12 ", "12.00"), (12, "12.00"), (Decimal("1.500"), "1.50"),
     ("9999999999.99", "9999999999.99"), ("007", "7.00")],
)
def test_plain_decimals_are_accepted(raw, expected):
    assert parse_money(raw, field="cost") == Decimal(expected)


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("0.001", "最多保留 2 位小数"), ("-0", "不能为负数"), ("-5", "不能为负数"), ("1E+2", "不是有效的金额"),
        ("1e10", "不是有效的金额"), ("١٢٣", "不是有效的金额"), ("１２３", "不是有效的金额"), ("NaN", "不是有效的金额"),
        ("Infinity", "不是有效的金额"), ("12,800", "不是有效的金额"), ("10000000000", "超出范围"), ("0", "大于 0"),
        (True, "请输入金额"), (Decimal("NaN"), "有限"), ("", "请输入金额"), (".5", "不是有效的金额"),
    ],
)
def test_everything_else_is_refused_naming_the_field(raw, fragment):
    with pytest.raises(DomainError) as exc:
        parse_money(raw, field="cost", label="成本")
    assert exc.value.field == "cost" and fragment in str(exc.value.message) and str(exc.value.message).startswith("成本")


def test_range_follows_the_column_and_flags():
    assert parse_money("-0", field="x", allow_negative=True, allow_zero=True) == 0
    assert parse_money("-3.5", field="x", allow_negative=True) == Decimal("-3.50")
    assert parse_money("999.9999", field="x", max_digits=7, decimal_places=4) == Decimal("999.9999")
    with pytest.raises(DomainError):
        parse_money("1000", field="x", max_digits=7, decimal_places=4)


def test_money_form_field():
    field = MoneyFormField(label="金额", required=False, allow_zero=True)
    assert field.clean("12.5") == Decimal("12.50") and field.clean("") is None
    with pytest.raises(forms.ValidationError) as exc:
        field.clean("1e3")
    assert "不是有效的金额" in exc.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("cost", ["0.001", "1E+2", "1e10", "١٢", "NaN", "-0", "1000000000000", "Infinity"])
def test_quote_preview_refuses_odd_money_with_400(api, coordinator, cost):
    r = api(coordinator).post(QUOTE, {"client": retail().pk, "date": "2026-11-20", "lines": [line("part", cost)]}, format="json")
    assert r.status_code == 400, r.content
    errors = r.json()["lines"]
    row = errors[0] if isinstance(errors, list) else errors["0"]
    assert row["cost"]
    assert VisitCharge.objects.count() == 0


@pytest.mark.django_db
def test_quote_preview_takes_plain_money(api, coordinator):
    r = api(coordinator).post(QUOTE, {"client": retail().pk, "date": "2026-11-20", "lines": [line("part", "200.00")]}, format="json")
    assert r.status_code == 200 and r.json()["lines"][0]["amount"] == "250.00"


@pytest.mark.django_db
def test_close_out_page_refuses_exponent_cost_naming_the_row():
    from dispatch.forms import lines_from

    with pytest.raises(DomainError) as exc:
        lines_from({"line-0-kind": "part", "line-0-cost": "1e3"})
    assert exc.value.field == "lines" and "第 1 行" in str(exc.value.message)
    assert lines_from({"line-0-kind": "part", "line-0-cost": "12.5"})[0]["cost"] == "12.50"


# --------------------------------------------------------------------------- date filters (never a 500)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["2026-11-01T00:00:00+20:00", "2026-11-01T00:00:00-16:00", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"]
)
def test_datetime_filter_out_of_range_is_400_not_500(api, coordinator, value):
    r = api(coordinator).get("/api/work-orders/", {"created_after": value})
    assert r.status_code == 400
    assert "created_after" in r.json()


@pytest.mark.django_db
def test_datetime_filter_with_a_real_offset_still_filters(api, coordinator):
    WorkOrderFactory()
    assert api(coordinator).get("/api/work-orders/", {"created_after": "2000-01-01T00:00:00+15:59"}).json()["count"] == 1
    assert api(coordinator).get("/api/work-orders/", {"created_before": "2000-01-01T00:00:00-15:59"}).json()["count"] == 0


# --------------------------------------------------------------------------- 404, not 403 (rule 6)
@pytest.mark.django_db
def test_technician_gets_404_on_someone_elses_work_order(api, client, technician, other_technician):
    theirs = WorkOrderFactory(technician=other_technician)
    tech = api(technician)
    assert tech.get(f"/api/work-orders/{theirs.pk}/").status_code == 404
    assert tech.post(f"/api/work-orders/{theirs.pk}/accept/", {}, format="json").status_code == 404
    client.force_login(technician.user)
    for url in (
        reverse("dispatch:mobile_order", args=[theirs.pk]),
        reverse("dispatch:close_out", args=[theirs.pk]),
        reverse("servicedesk:work_order_detail", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("dispatch:step", args=[theirs.pk, "accept"])).status_code == 404
    # the same answer as for an order that does not exist
    assert tech.post("/api/work-orders/999999/accept/", {}, format="json").status_code == 404


# --------------------------------------------------------------------------- production profile (docs/deployment.md)
PROD = {
    "DJANGO_PROFILE": "production",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check-only",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
}
PROBE = """
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # a fresh database of its own (sessions, users)
if not os.path.exists(os.path.join(os.environ["STATIC_ROOT"], "staticfiles.json")):
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest pages need, as deploy/install.sh does
from django.conf import settings
from django.test import Client
c = Client()
print("DEBUG", settings.DEBUG)
print("schema", c.get("/api/schema/", secure=True).status_code)
print("docs", c.get("/api/docs/", secure=True).status_code)
"""


# collectstatic (hashing and compressing every vendored asset) is the slow part of a probe: the probes of one run
# share the static files the first one collected
STATIC = Path(tempfile.mkdtemp(prefix="prod-check-static-"))


def _probe(**extra):
    tmp = Path(tempfile.mkdtemp(prefix="prod-check-"))
    env = {
        **os.environ, **PROD, "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "STATIC_ROOT": str(STATIC),
        "DJANGO_SETTINGS_MODULE": "servicedesk.settings", **extra,
    }
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return dict(line.split(" ", 1) for line in out.stdout.strip().splitlines())


def test_debug_env_cannot_turn_debug_on_in_production_and_docs_need_login():
    seen = _probe(DEBUG="1")
    assert seen["DEBUG"] == "False"
    assert seen["schema"] in ("401", "403") and seen["docs"] in ("401", "403")


def test_api_docs_public_is_a_setting_in_production():
    seen = _probe(API_DOCS_PUBLIC="1")
    assert seen["schema"] == "200" and seen["docs"] == "200"


@pytest.mark.django_db
def test_api_docs_public_by_default_in_development(client):
    assert client.get("/api/docs/").status_code == 200
