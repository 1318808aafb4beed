"""Rule parameters with effective dates (docs/developers.md rule 2): a future change never alters the past."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from servicedesk.errors import DomainError
from servicedesk.models import RuleParameter
from servicedesk.params import UnknownParameterError, get_param, get_params, param, schedule_param

pytestmark = pytest.mark.django_db


def test_every_spec_default_is_seeded_as_typed_value():
    on = date(2026, 11, 20)
    assert param("billing.onsite_fee", on=on) == Decimal("50.00")
    assert param("billing.part_markup", on=on) == Decimal("1.25")
    assert param("sla.mobile_depart_minutes", on=on) == 10
    assert param("callback.first_due_hours", on=on) == 72
    assert param("penalty.P1", on=on)["max"] == 20
    assert param("receivables.retail_due_working_days", on=on) == 7
    assert isinstance(param("billing.consumable_markup", on=on), Decimal)


def test_future_change_applies_from_its_date_only():
    today = date(2026, 11, 22)
    schedule_param(name="billing.onsite_fee", value="60.00", effective_from=date(2026, 12, 1), today=today, note="涨价")
    assert param("billing.onsite_fee", on=date(2026, 11, 30)) == Decimal("50.00")
    assert param("billing.onsite_fee", on=date(2026, 12, 1)) == Decimal("60.00")
    # the version tells which row produced a number (explanations store it)
    old, new = get_param("billing.onsite_fee", on=date(2026, 11, 30)), get_param("billing.onsite_fee", on=date(2027, 1, 5))
    assert old.version != new.version and new.effective_from == date(2026, 12, 1)


def test_backdated_change_is_refused_naming_the_field():
    with pytest.raises(DomainError) as exc:
        schedule_param(name="billing.onsite_fee", value="60.00", effective_from=date(2026, 11, 1), today=date(2026, 11, 22))
    assert exc.value.field == "effective_from"
    assert param("billing.onsite_fee", on=date(2026, 11, 21)) == Decimal("50.00")


def test_value_of_the_wrong_kind_is_refused_and_nothing_saved():
    before = RuleParameter.objects.count()
    with pytest.raises(ValidationError) as exc:
        schedule_param(name="sla.mobile_depart_minutes", value="ten", effective_from=date(2026, 12, 1), today=date(2026, 11, 22))
    assert "value" in exc.value.message_dict
    assert RuleParameter.objects.count() == before


def test_unknown_parameter_is_a_clear_error():
    with pytest.raises(UnknownParameterError):
        param("billing.no_such_fee", on=date(2026, 11, 22))


def test_rows_already_in_effect_cannot_be_edited():
    row = RuleParameter.objects.get(name="billing.onsite_fee")
    row.value = "99.00"
    with pytest.raises(ValidationError):
        row.full_clean()


def test_get_params_reads_several_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        found = get_params(["billing.onsite_fee", "billing.installation_fee", "billing.part_markup"], on=date(2026, 11, 22))
    assert found["billing.installation_fee"].value == Decimal("60.00")


def test_changes_keep_history():
    schedule_param(name="billing.onsite_fee", value="55.00", effective_from=date(2026, 12, 1), today=date(2026, 11, 22))
    schedule_param(name="billing.onsite_fee", value="58.00", effective_from=date(2026, 12, 1), today=date(2026, 11, 25))
    row = RuleParameter.objects.get(name="billing.onsite_fee", effective_from=date(2026, 12, 1))
    assert row.typed_value == Decimal("58.00")
    assert [h.value for h in row.history.order_by("history_date")] == ["55.00", "58.00"]


def test_within_a_request_a_dates_parameters_are_read_in_one_query(django_assert_num_queries):
    """servicedesk.params.read_many (every request runs in one): seven single reads and a batch of one date cost
    one query, another date one more; a version scheduled meanwhile is read, not the memo's old value."""
    from servicedesk.params import read_many

    on, later = date(2026, 11, 22), date(2026, 12, 1)
    with read_many():
        with django_assert_num_queries(1):
            assert param("billing.onsite_fee", on=on) == Decimal("50.00")
            assert param("billing.part_markup", on=on) == Decimal("1.25")
            assert param("sla.mobile_depart_minutes", on=on) == 10
            assert param("callback.first_due_hours", on=on) == 72
            assert param("receivables.retail_due_working_days", on=on) == 7
            assert param("penalty.P1", on=on)["max"] == 20
            assert get_params(["billing.installation_fee", "billing.onsite_fee"], on=on)["billing.installation_fee"].value == Decimal("60.00")
        with django_assert_num_queries(1):
            assert param("billing.onsite_fee", on=later) == Decimal("50.00")
        schedule_param(name="billing.onsite_fee", value="60.00", effective_from=later, today=on)
        assert param("billing.onsite_fee", on=later) == Decimal("60.00")
        assert param("billing.onsite_fee", on=on) == Decimal("50.00")
        RuleParameter.objects.filter(name="billing.onsite_fee", effective_from=later).get().delete()
        assert param("billing.onsite_fee", on=later) == Decimal("50.00")  # a deleted row is forgotten too
        with pytest.raises(UnknownParameterError) as exc:
            param("no.such_parameter", on=on)
        assert "no.such_parameter" in str(exc.value.message)
    with django_assert_num_queries(1):  # outside a request: one query a read, as before
        assert param("billing.onsite_fee", on=on) == Decimal("50.00")
