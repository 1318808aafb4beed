"""Enumerations of dispatch (SPEC §3), shared by models, API and forms."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    """R-W4…R-W7 response deadlines and the R-W13 return deadline."""

    MOBILE_DEPART = "mobile_depart", _("流动服务出发时限")  # R-W4
    MOBILE_ARRIVE = "mobile_arrive", _("预约上门到达时限")  # R-W4 decision: booked jobs, arrive by the required time
    CONTACT_CLIENT = "contact_client", _("联系客户时限")  # R-W6
    RESIDENT_ARRIVE = "resident_arrive", _("驻点到达时限")  # R-W5
    RESIDENT_ANSWER = "resident_answer", _("驻点电话答复时限")  # R-W5
    CARRY_IN_RETURN = "carry_in_return", _("送修设备返还时限")  # R-W13


# SLA kinds whose breach is a late response (R-W7 → P7).
SLA_KINDS = (
    DeadlineKind.MOBILE_DEPART,
    DeadlineKind.MOBILE_ARRIVE,
    DeadlineKind.CONTACT_CLIENT,
    DeadlineKind.RESIDENT_ARRIVE,
    DeadlineKind.RESIDENT_ANSWER,
)


class AssignmentEnd(models.TextChoices):
    REASSIGNED = "reassigned", _("改派")
    REFUSED = "refused", _("拒单")
    HANDED_OVER = "handed_over", _("交接")
    CANCELLED = "cancelled", _("取消")


class ResidentReason(models.TextChoices):
    """R-W5 decision: why a resident-site request went to someone other than the site's resident technicians."""

    ON_LEAVE = "on_leave", _("驻点技术员休假")
    BUSY = "busy", _("驻点技术员正忙")


class TechnicianState(models.TextChoices):
    """What the board shows for each technician."""

    FREE = "free", _("空闲")
    TRAVELLING = "travelling", _("在途")
    ON_SITE = "on_site", _("在现场")
    RESIDENT = "resident", _("驻点")
