"""Enumerations of team projects (SPEC §5 R-R5, §8 R-M5–R-M8)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    """SPEC decision (R-M5 vs R-M6): a job is either team service (R-R5, ≥ 10 person-days, no contract amount)
    paid by R-M5, or a project-type service contract (maintenance or construction, with a contract amount)
    paid by R-M6 — never both."""

    TEAM = "team", _("团队服务")
    MAINTENANCE = "maintenance", _("设备维保类")
    CONSTRUCTION = "construction", _("建设型")


CONTRACT_KINDS = (ProjectKind.MAINTENANCE, ProjectKind.CONSTRUCTION)  # R-M6: project-type service with a contract amount


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("进行中")
    COMPLETED = "completed", _("已完成")


class ShareRole(models.TextChoices):
    MANAGER = "manager", _("项目经理")
    MEMBER = "member", _("组员")
    DEPARTMENT = "department", _("部门共享")


class Satisfaction(models.TextChoices):
    """The survey's satisfaction answer (R-K3 scale); very satisfied and satisfied count as satisfied (R-M5, R-M6)."""

    VERY_SATISFIED = "very_satisfied", _("很满意")
    SATISFIED = "satisfied", _("满意")
    NEUTRAL = "neutral", _("一般")
    DISSATISFIED = "dissatisfied", _("不满意")


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
