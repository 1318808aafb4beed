"""Penalty vocabulary (SPEC §7): statuses, decision actions, dismissal marks, P8 joint-liability roles."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PenaltyStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤销")


class DecisionAction(models.TextChoices):
    """R-N4: every step of a penalty's life is an audit row."""

    PROPOSE = "propose", _("提出")
    CONFIRM = "confirm", _("确认")
    CHANGE = "change", _("改分")
    REJECT = "reject", _("驳回")
    WITHDRAW = "withdraw", _("撤销")


class DismissalMark(models.TextChoices):
    """The `dismissal` entry of the penalty.P* parameters (R-N2)."""

    NEVER = "never", _("不涉及辞退")
    SERIOUS = "serious", _("情节严重可辞退")
    SECOND_TIME = "second_time", _("第二次可辞退")
    ALWAYS = "always", _("辞退")


class JointRole(models.TextChoices):
    """P8: who is jointly liable when a complaint was caused by failed supervision (penalty.P8.joint)."""

    TEAM_LEAD = "team_lead", _("技术组长")
    MANAGER = "manager", _("部门经理")
    SUPERVISOR = "supervisor", _("监督领导")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待经理决定")
    DECIDED = "decided", _("已决定")


class FlagDecision(models.TextChoices):
    KEEP = "kept", _("留用")
    DISMISS = "dismissed", _("辞退")


RULES = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11"]
RULE_CHOICES = [(r, r) for r in RULES]
