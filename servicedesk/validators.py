"""Field validators for Chinese phone numbers and equipment serials."""
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mobile 1[3-9]xxxxxxxxx; landline 0xx(x)-xxxxxxx(x) with optional extension; 400/800 service lines.
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4})$")

validate_phone = RegexValidator(
    PHONE_RE,
    _("请输入有效的电话号码:11 位手机号 (如 13812345678) 或带区号的座机 (如 0755-12345678)。"),
    code="invalid_phone",
)

validate_serial = RegexValidator(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/\-]{1,63}$"),
    _("序列号只能包含字母、数字和 . _ / -,长度 2–64。"),
    code="invalid_serial",
)


def normalize_phone(value: str) -> str:
    """Drop spaces people type in phone numbers; keep the hyphen of landlines."""
    return re.sub(r"\s+", "", value or "")


class NormalizedPhonesMixin:
    """Strip the spaces people type in phone numbers before the field validators run."""

    phone_fields: tuple[str, ...] = ("phone",)

    def clean_fields(self, exclude=None):
        for name in self.phone_fields:
            setattr(self, name, normalize_phone(getattr(self, name)))
        super().clean_fields(exclude=exclude)
