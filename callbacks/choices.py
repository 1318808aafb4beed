from django.db import models
from django.utils.translation import gettext_lazy as _


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("未到回访时间")
    DUE = "due", _("待回访")
    OVERDUE = "overdue", _("已逾期")
    DONE = "done", _("已回访")
    UNREACHABLE = "unreachable", _("无法联系")


class WindowRule(models.TextChoices):
    """R-K2: which rule set the window (the earliest deadline wins)."""

    # the hours are parameters (callback.*_hours): pages show each callback's own window, never fixed numbers
    FIRST_SERVICE = "first_service", _("首次服务")
    SECOND_SERVICE = "second_service", _("二次服务")
    PART_REPLACED = "part_replaced", _("更换配件")


class Satisfaction(models.TextChoices):
    """R-K3 item 5."""

    VERY_SATISFIED = "very_satisfied", _("很满意")
    SATISFIED = "satisfied", _("满意")
    NEUTRAL = "neutral", _("一般")
    DISSATISFIED = "dissatisfied", _("不满意")


class SatisfactionSource(models.TextChoices):
    """R-K3 item 5: who gave the satisfaction on the callback — the client on the phone, or the client themselves
    from their own page (the signed portal link)."""

    CALL = "call", _("回访电话")
    CLIENT = "client", _("客户通过链接自评")


class Question(models.TextChoices):
    """R-K3 items 1–4; a "no" is one breach of the engineer's operating norms (R-K4, P6)."""

    BADGE = "badge", _("出示工牌并自我介绍")
    EXPLAINED = "explained", _("讲解故障原因并给出建议")
    CLEANED = "cleaned", _("清洁机器、整理线缆")
    SIGNED = "signed", _("客户在服务单上签字并填写完成时间")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLED = "handled", _("已处理")
    # R-K10: replied (root cause and agreed fix given) → the client confirms
    REPLIED = "replied", _("已答复")
    CONFIRMED = "confirmed", _("客户已确认")


class ComplaintChannel(models.TextChoices):
    """R-K10: a complaint comes from any channel."""

    PHONE = "phone", _("电话")
    WALK_IN = "walk_in", _("来访")
    CALLBACK = "callback", _("回访")
    SIGNED_LINK = "signed_link", _("客户签名链接")
    # R-W12: a carry-in client had to call in because nobody told them how the repair was going
    CARRY_IN_CHASE = "carry_in_chase", _("送修客户来电催问")


class ComplaintOutcome(models.TextChoices):
    """R-K10 Decision: the manager decides whose, if anyone's, the complaint is. Only OWN_WORK proposes P8 and
    counts for R-M2."""

    OWN_WORK = "own_work", _("成立,本人工作问题")
    NOT_PERSON = "not_person", _("成立,非个人责任")
    UNFOUNDED = "unfounded", _("不成立")


class ComplaintCause(models.TextChoices):
    """The recorded root cause of a decided complaint, the grouping of the monthly report's "complaints by cause".
    own_work and unfounded follow from the outcome; a founded complaint that is not a person's fault names one
    of the others."""

    OWN_WORK = "own_work", _("本人工作问题")
    PROCESS = "process", _("流程问题")
    PRODUCT = "product", _("产品质量")
    THIRD_PARTY = "third_party", _("第三方原因")
    OTHER = "other", _("其他原因")
    UNFOUNDED = "unfounded", _("投诉不成立")


NOT_PERSON_CAUSES = (ComplaintCause.PROCESS, ComplaintCause.PRODUCT, ComplaintCause.THIRD_PARTY, ComplaintCause.OTHER)
NOT_PERSON_CAUSE_CHOICES = [(c.value, c.label) for c in NOT_PERSON_CAUSES]  # the API's enum (named in settings)
