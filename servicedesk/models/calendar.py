"""The PRC working-day calendar (SPEC §11), stored so an administrator can add a year."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import CalendarSource


class CalendarYear(models.Model):
    """A year whose every day is in `CalendarDay`. A date of a year without this row is an error, never a guess."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    holidays = models.PositiveSmallIntegerField(_("节假日天数"), default=0)
    adjusted_workdays = models.PositiveSmallIntegerField(_("调休上班天数"), default=0)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        WEEKEND = "weekend", _("周末")
        HOLIDAY = "holiday", _("法定节假日")
        ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班")

    date = models.DateField(_("日期"), primary_key=True)
    is_working = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("节日名称,如 国庆节"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        indexes = [models.Index(fields=["is_working", "date"])]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        # Keep the derived flag in step when an administrator edits the kind by hand.
        self.is_working = self.kind in (self.Kind.WORKDAY, self.Kind.ADJUSTED_WORKDAY)
        super().save(*args, **kwargs)
