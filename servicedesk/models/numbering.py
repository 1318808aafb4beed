"""Human-readable document numbers (WO-2026-11-0001, XS-2026-11-0042)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    key = models.CharField(_("序列"), max_length=40, unique=True)  # e.g. "WO-2026-11"
    last = models.PositiveIntegerField(_("当前号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.key}: {self.last}"
