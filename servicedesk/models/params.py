"""Rule parameters with effective dates (every number of docs/rules.md is data).

One row is one version of one parameter: `param(name, on=d)` takes the row with
the latest `effective_from` not after `d`. Rows already in effect are never
edited; a change is a new row with a future (or today's) effective date, so past
computations keep the numbers they used (docs/developers.md rule 2).
"""
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ParameterKind


class RuleParameter(models.Model):
    name = models.CharField(_("参数"), max_length=64, db_index=True)
    effective_from = models.DateField(_("生效日期"))
    kind = models.CharField(_("类型"), max_length=8, choices=ParameterKind.choices, default=ParameterKind.DECIMAL)
    value = models.JSONField(_("取值"), help_text=_("数值用字符串保存,如 \"1.25\";表格为 JSON"))
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    rule = models.CharField(_("规则编号"), max_length=24, blank=True, help_text=_("SPEC 中的规则编号,如 R-P1"))
    description = models.CharField(_("说明"), max_length=200)
    note = models.CharField(_("变更原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规则参数")
        verbose_name_plural = _("规则参数")
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_from"], name="rule_parameter_one_version_per_day")
        ]
        permissions = [("manage_rule_parameters", _("可调整规则参数"))]

    def __str__(self):
        return f"{self.name} = {self.value} ({_('自')} {self.effective_from})"

    @property
    def typed_value(self):
        return coerce_value(self.kind, self.value)

    def clean(self):
        try:
            coerce_value(self.kind, self.value)
        except (ValueError, TypeError, InvalidOperation):
            raise ValidationError({"value": _("取值与类型“%(kind)s”不符。") % {"kind": self.get_kind_display()}})
        if self.pk:
            original = RuleParameter.objects.filter(pk=self.pk).first()
            if original and original.effective_from <= timezone.localdate() and (
                original.value != self.value or original.effective_from != self.effective_from
            ):
                raise ValidationError(
                    _("已生效的参数版本不能修改,以免改变过去的计算;请新增一个生效日期在今天或以后的版本。")
                )


def coerce_value(kind: str, raw):
    """Stored JSON → Python value. Decimals travel as strings so no float touches money."""
    if kind == ParameterKind.DECIMAL:
        if isinstance(raw, float) or isinstance(raw, bool):
            raise TypeError("decimal parameters are stored as strings")
        return Decimal(str(raw))
    if kind == ParameterKind.INTEGER:
        if isinstance(raw, bool) or (isinstance(raw, str) and not raw.lstrip("-").isdigit()):
            raise ValueError("not an integer")
        if isinstance(raw, float):
            raise TypeError("integers are whole numbers")
        return int(raw)
    if kind == ParameterKind.TABLE:
        if not isinstance(raw, (dict, list)):
            raise TypeError("tables are JSON objects or lists")
        return raw
    raise ValueError(kind)
