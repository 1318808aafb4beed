from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """R-R6 inspection schedule; the value is the number of months between inspections."""

    MONTHLY = "1", _("每月")
    BIMONTHLY = "2", _("每两个月")
    QUARTERLY = "3", _("每季度")
    HALF_YEARLY = "6", _("每半年")
    YEARLY = "12", _("每年")
