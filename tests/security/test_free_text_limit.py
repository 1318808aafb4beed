"""One limit for free text (servicedesk.validators.FREE_TEXT_MAX_LENGTH), held on the model and so on every door:
the API's model and plain serializers, the pages' forms, and any save (a pre_save guard naming the field). Before,
the API took 100 000 characters where the pages stopped at 2 000."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from servicedesk.choices import WorkOrderStatus
from servicedesk.models import Client
from servicedesk.validators import FREE_TEXT_MAX_LENGTH, FreeTextLength
from tests.factories import ClientFactory, WorkOrderFactory

ROOT = Path(__file__).resolve().parents[2]
DEPARTMENT = "key_account"
PROJECT_APPS = {"servicedesk", "messaging", "billing", "penalties", "callbacks", "receivables", "dispatch", "bonuses", "reports",
                "portal"}
# text the product writes or stores as data, not prose a person types
NOT_FREE_TEXT = {
    "dispatch.CloseOut.signature_drawing",  # an SVG data URL, bounded by dispatch.services.SIGNATURE_MAX_CHARS
    "reports.MonthlyReport.body",  # the compiled report (JSON)
    "receivables.ImportJob.message", "receivables.ExportJob.error",  # a job's outcome, written by the product
    "servicedesk.MasterDataImportJob.message",
    "messaging.OutboxMessage.body",  # the words actually sent, rendered from a template
}


def test_the_limit_is_2000():
    assert FREE_TEXT_MAX_LENGTH == 2000


def test_every_free_text_field_of_every_model_carries_the_one_limit():
    missing, found = [], 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.TextField) or isinstance(field, models.JSONField):
                continue
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if name in NOT_FREE_TEXT:
                continue
            found += 1
            if field.max_length != FREE_TEXT_MAX_LENGTH or not any(isinstance(v, FreeTextLength) for v in field.validators):
                missing.append(name)
    assert found > 40 and missing == []


def test_every_text_input_of_the_published_api_has_a_maximum_length(tmp_path):
    out = tmp_path / "schema.json"
    subprocess.run([sys.executable, "manage.py", "spectacular", "--format", "openapi-json", "--file", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    schema = json.loads(out.read_text())
    unbounded, too_long = [], []
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request") or name == "AuthTokenRequest":  # DRF's login form: the username is cut at 150
            continue
        for field, prop in component.get("properties", {}).items():
            if prop.get("type") != "string" or prop.get("readOnly") or "enum" in prop or "format" in prop or "pattern" in prop:
                continue
            if "maxLength" not in prop:
                unbounded.append(f"{name}.{field}")
            elif prop["maxLength"] > FREE_TEXT_MAX_LENGTH and field != "signature_drawing":
                too_long.append(f"{name}.{field}")
    assert unbounded == [] and too_long == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_refuses_100_000_characters_naming_the_field(api, coordinator, language):
    order = WorkOrderFactory()
    response = api(coordinator, language=language).post(
        f"/api/work-orders/{order.pk}/cancel/", {"reason": "长" * 100_000, "version": order.version}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    if language == "zh-hans":  # (the English reading comes with the catalogue the merge compiles)
        assert response.json()["reason"] == ["reason:最多 2000 个字符(现为 100000 个)。"]
    order.refresh_from_db()
    assert order.status != WorkOrderStatus.CANCELLED


@pytest.mark.django_db
def test_the_api_takes_exactly_2000_characters(api, coordinator):
    order = WorkOrderFactory()
    response = api(coordinator).post(f"/api/work-orders/{order.pk}/cancel/", {"reason": "长" * 2000, "version": order.version}, format="json")
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.CANCELLED


@pytest.mark.django_db
def test_a_model_serializer_field_follows_the_model(api, coordinator):
    response = api(coordinator).post("/api/clients/", {"name": "长备注客户", "kind": "retail", "department": DEPARTMENT, "notes": "x" * 2001}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["notes"]
    assert not Client.objects.filter(name="长备注客户").exists()


@pytest.mark.django_db
def test_any_save_past_the_limit_is_refused_naming_the_field():
    client = ClientFactory()
    client.notes = "x" * 2001
    with pytest.raises(ValidationError) as exc:
        client.save()
    assert exc.value.message_dict == {"notes": ["备注:最多 2000 个字符(现为 2001 个)。"]}
    client.notes = "x" * 2000
    client.save()
    client.refresh_from_db()
    assert len(client.notes) == 2000


@pytest.mark.django_db
def test_the_pages_forms_hold_the_same_limit():
    from callbacks.complaint_views import ComplaintForm
    from dispatch.forms import CloseOutForm, RefuseForm

    assert not RefuseForm(data={"reason": "x" * 2001}).is_valid()
    assert RefuseForm(data={"reason": "x" * 2000}).is_valid()
    assert CloseOutForm.base_fields["work_done"].max_length == FREE_TEXT_MAX_LENGTH
    assert ComplaintForm.base_fields["words"].max_length == FREE_TEXT_MAX_LENGTH
