"""Enumerations of resident service (SPEC §5, R-R1–R-R4)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayMark(models.TextChoices):
    """R-R1: what the site's lead marks for each resident technician and day."""

    PRESENT = "present", _("出勤")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺勤")
    TRIP = "trip", _("出差")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交行政部")


class ReportStatus(models.TextChoices):
    """R-R2 approval chain of the monthly resident report."""

    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("待监督组长审核")
    SUPERVISOR_APPROVED = "supervisor_approved", _("待部门经理审批")
    MANAGER_APPROVED = "manager_approved", _("待总经办盖章")
    STAMPED = "stamped", _("待客户评价")
    CLIENT_RATED = "client_rated", _("待行政部归档")
    ARCHIVED = "archived", _("已归档")
    RETURNED = "returned", _("已退回")


class Rating(models.TextChoices):
    """R-R3 client rating scale."""

    VERY_GOOD = "very_good", _("很好")
    GOOD = "good", _("好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")
    BAD = "bad", _("差")


GOOD_RATINGS = (Rating.VERY_GOOD, Rating.GOOD)  # R-M3
BAD_RATINGS = (Rating.POOR, Rating.BAD)  # R-M4


class LinkPurpose(models.TextChoices):
    RESIDENT_RATING = "resident_rating", _("驻点月报客户评价")
    PROJECT_SURVEY = "project_survey", _("项目客户满意度调查")
