"""Choice labels on the busy lists are cached per field and language — and still follow the language."""
import pytest
from django.utils import translation

from servicedesk.models import WorkOrder

from ..factories import WorkOrderFactory

pytestmark = pytest.mark.django_db


def test_labels_follow_the_language_and_unknown_values_show_as_stored():
    wo = WorkOrderFactory(status="dispatched")
    with translation.override("zh-hans"):
        assert wo.get_status_display() == "已派单"
    with translation.override("en"):
        assert wo.get_status_display() == "Dispatched"
    with translation.override("zh-hans"):
        assert wo.get_status_display() == "已派单"
    wo.status = "no-such-status"
    assert wo.get_status_display() == "no-such-status"


def test_every_work_order_label_is_the_one_django_would_show():
    from django.db.models import Model

    wo = WorkOrderFactory()
    for field in WorkOrder._meta.fields:
        if field.choices:
            for value, _label in field.flatchoices:
                setattr(wo, field.attname, value)
                with translation.override("en"):
                    assert getattr(wo, f"get_{field.name}_display")() == Model._get_FIELD_display(wo, field)
