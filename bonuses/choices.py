"""Month-close vocabulary (SPEC §8, R-M9): award kinds, statement statuses, the rules that make money."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .drafts import AwardKind as _Kind


class AwardKind(models.TextChoices):
    REWARD = _Kind.REWARD, _("奖励")
    FINE = _Kind.FINE, _("罚款")
    ALLOWANCE = _Kind.ALLOWANCE, _("补贴")
    PROJECT_BONUS = _Kind.PROJECT_BONUS, _("项目奖金")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审批")
    ARCHIVED = "archived", _("已归档")


class MoneyRule(models.TextChoices):
    R_M1 = "R-M1", _("R-M1 流动服务月度排名奖")
    R_M2 = "R-M2", _("R-M2 流动服务罚款")
    R_M3 = "R-M3", _("R-M3 驻点补贴")
    R_M4 = "R-M4", _("R-M4 驻点罚款")
    R_M5 = "R-M5", _("R-M5 团队服务奖罚")
    R_M6 = "R-M6", _("R-M6 项目奖金")
    R_M7 = "R-M7", _("R-M7 项目奖金分配")
    R_M8 = "R-M8", _("R-M8 项目资料迟交扣减")
    R_N3 = "R-N3", _("R-N3 扣分折款")


LOCKED_STATUSES = (StatementStatus.APPROVED, StatementStatus.ARCHIVED)
