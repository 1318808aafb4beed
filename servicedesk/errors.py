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
    """SPEC §11: a date in a year the working-day table does not hold is an error, never a guess."""

    def __init__(self, year: int, field: str | None = None):
        self.year = year
        super().__init__(
            _("工作日历中没有 %(year)s 年的数据,无法计算工作日。请管理员在“日历年度”中录入或上传 %(year)s 年的节假日安排。")
            % {"year": year},
            field=field,
            code="calendar_missing",
        )
