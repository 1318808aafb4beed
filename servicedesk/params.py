"""`param(name, on=date)`: the value of a rule parameter in force on a date (docs/developers.md rule 2:
a later version never alters what was computed before its effective date).

Every rule engine reads its numbers here, and records `ParamValue.version` in
its explanation so a result can always say which parameter version produced it.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import RuleParameter


class UnknownParameterError(DomainError):
    pass


@dataclass(frozen=True)
class ParamValue:
    name: str
    value: Any
    version: int  # RuleParameter.pk
    effective_from: date
    rule: str

    def as_explanation(self) -> dict:
        """JSON-safe record for explanations (rule 2)."""
        return {
            "name": self.name,
            "value": str(self.value) if not isinstance(self.value, (dict, list)) else self.value,
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
        }


def _to_value(row: RuleParameter) -> ParamValue:
    return ParamValue(row.name, row.typed_value, row.pk, row.effective_from, row.rule)


# The parameters read during one request (or one `read_many()` block): {date: {name: ParamValue}}. A request that
# prices, schedules and explains reads the same handful of parameters many times (a close-out read seven of them one
# row at a time); with a memo the first read of a date loads every parameter in force on it in one query.
_memo: ContextVar[dict | None] = ContextVar("servicedesk_params_memo", default=None)


@contextmanager
def read_many():
    """Within this block (and within every request: servicedesk.middleware.ParamsMemoMiddleware) a date's
    parameters are read once, in one query. A change made meanwhile (schedule_param, a saved RuleParameter)
    empties the memo, so what is read afterwards is never older than what was written."""
    if _memo.get() is not None:  # already inside one: share it
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget_read_values() -> None:
    """Empty the memo of the running request or block (a parameter was written)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def forget_on_write(sender, **kwargs) -> None:
    """post_save / post_delete of a RuleParameter (servicedesk/apps.py)."""
    forget_read_values()


def _in_force(on: date, memo: dict) -> dict[str, ParamValue]:
    if on not in memo:
        found: dict[str, ParamValue] = {}
        for row in RuleParameter.objects.filter(effective_from__lte=on).order_by("name", "-effective_from"):
            if row.name not in found:
                found[row.name] = _to_value(row)
        memo[on] = found
    return memo[on]


def _unknown(names, on) -> UnknownParameterError:
    return UnknownParameterError(_("规则参数 %(name)s 在 %(on)s 没有生效的取值。") % {"name": ", ".join(names), "on": on})


def get_param(name: str, *, on: date) -> ParamValue:
    memo = _memo.get()
    if memo is not None:
        found = _in_force(on, memo).get(name)
        if found is None:
            raise _unknown([name], on)
        return found
    row = RuleParameter.objects.filter(name=name, effective_from__lte=on).order_by("-effective_from").first()
    if row is None:
        raise _unknown([name], on)
    return _to_value(row)


def param(name: str, *, on: date):
    """The typed value (Decimal, int or table) of `name` in force on `on`."""
    return get_param(name, on=on).value


def get_params(names: Iterable[str], *, on: date) -> dict[str, ParamValue]:
    """Several parameters in one query (for engines pricing many lines)."""
    names = list(dict.fromkeys(names))
    memo = _memo.get()
    if memo is not None:
        in_force = _in_force(on, memo)
        found = {n: in_force[n] for n in names if n in in_force}
    else:
        rows = RuleParameter.objects.filter(name__in=names, effective_from__lte=on).order_by("name", "-effective_from")
        found = {}
        for row in rows:
            found.setdefault(row.name, _to_value(row))
    missing = [n for n in names if n not in found]
    if missing:
        raise _unknown(missing, on)
    return found


def check_schedule(*, name: str, value, effective_from: date, today: date, by=None):
    """Every check of a new version of `name`, writing nothing: the author's authority (`by`, a User or Staff; None =
    the system — security.* parameters only admin, the others only a manager: permissions.check_parameter_change),
    no back-dating, a known name, the value's type and range. Returns (the current row, the checked value). The API,
    the pages and the Django admin all pass here (docs/developers.md rule 4: one way to change a parameter)."""
    from .permissions import check_parameter_change

    if by is not None:
        check_parameter_change(getattr(by, "user", by), name)
    if effective_from < today:
        raise DomainError(_("生效日期不能早于今天:已做的计算不能被追溯修改。"), field="effective_from")
    current = RuleParameter.objects.filter(name=name).order_by("-effective_from").first()
    if current is None:
        raise UnknownParameterError(_("未知的规则参数:%(name)s") % {"name": name}, field="name")
    return current, _checked_value(name, value, current)


def schedule_param(*, name: str, value, effective_from: date, today: date, by=None, note: str = "") -> RuleParameter:
    """A change of a parameter: a new version from `effective_from` (today or later), by someone who may
    (check_schedule). Back-dating is refused: it would change computations already made.
    """
    forget_read_values()
    with transaction.atomic():
        current, value = check_schedule(name=name, value=value, effective_from=effective_from, today=today, by=by)
        row, _created = RuleParameter.objects.update_or_create(
            name=name,
            effective_from=effective_from,
            defaults=dict(
                kind=current.kind,
                value=value,
                unit=current.unit,
                rule=current.rule,
                description=current.description,
                note=note,
                created_by=getattr(by, "user", by),
            ),
        )
        from django.core.exceptions import ValidationError

        try:
            row.full_clean(validate_unique=False)
        except ValidationError as exc:
            transaction.set_rollback(True)
            raise exc
        return row


def _checked_value(name: str, value, current: RuleParameter):
    """Type, range and unit of `name` (servicedesk.param_specs): a translated error naming the parameter and cell."""
    from django.core.exceptions import ValidationError

    from .param_specs import ParameterValueError, validate

    try:
        return validate(name, value, kind=current.kind, unit=current.unit, label=current.description)
    except ParameterValueError as exc:
        error = ValidationError({"value": [exc.message]})
        error.cell = exc.cell  # the form input to mark ("value__min", "value__2__pool")
        raise error from None
