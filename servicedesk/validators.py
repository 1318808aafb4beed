"""Field validators for Chinese phone numbers, equipment serials and free text."""
import re

from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.deconstruct import deconstructible
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


# --------------------------------------------------------------------------- free text
# One limit for the text people type (descriptions, reasons, notes, reports' prose): on the model's TextField as
# `max_length` (Django's forms and DRF's model serializers enforce it) and as `validate_free_text` (full_clean),
# and on the API's plain serializers through servicedesk.api_fields.FreeTextField. A page and the API accept the
# same text.
FREE_TEXT_MAX_LENGTH = 2000


@deconstructible
class FreeTextLength(MaxLengthValidator):
    message = _("最多 %(limit_value)d 个字符(现为 %(show_value)d 个)。")

    def __init__(self, limit_value=FREE_TEXT_MAX_LENGTH, message=None):
        super().__init__(limit_value, message)


validate_free_text = FreeTextLength()


def refuse_long_free_text(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: a free-text field (validate_free_text among its validators) longer than its limit is refused with a
    ValidationError naming the field ({field: [message]}: the API answers 400, a page shows it), so a door whose form
    forgot the limit cannot store more than the others allow."""
    if raw:  # fixtures and loaddata store what they are given
        return
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    errors = {}
    for field in _free_text_fields(sender):
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            errors[field.name] = [
                gettext("%(field)s:最多 %(limit)s 个字符(现为 %(count)s 个)。")
                % {"field": field.verbose_name, "limit": field.max_length, "count": len(value)}
            ]
    if errors:
        raise ValidationError(errors)


_FIELDS_BY_MODEL: dict = {}


def _free_text_fields(model) -> list:
    fields = _FIELDS_BY_MODEL.get(model)
    if fields is None:
        fields = [f for f in model._meta.concrete_fields if any(isinstance(v, FreeTextLength) for v in f.validators)]
        _FIELDS_BY_MODEL[model] = fields
    return fields
