"""Domain errors, mapped once to HTTP statuses (api_errors.py) and to form errors (views)."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the request. `field` names the offending input where there is one."""

    status_code = 400
    default_message = _("请求被业务规则拒绝。")

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.field = field
        self.code = code or self.__class__.__name__
        super().__init__(str(self.message))


class ConflictError(DomainError):
    """Illegal state transition, double dispatch, stale version: HTTP 409."""

    status_code = 409


class CalendarMissingError(DomainError):
    """SPEC §11: a year the working-day calendar cannot hold at all (before 2004 or after 2099). Any year in that
    range is either loaded officially or computed provisionally from the statutory holidays, never an error."""

    def __init__(self, year: int, field: str | None = None):
        self.year = year
        super().__init__(
            _("无法计算 %(year)s 年的工作日:工作日历只支持 2004–2099 年。") % {"year": year},
            field=field,
            code="calendar_missing",
        )
