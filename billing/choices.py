"""Enumerations of billing (SPEC §6), shared by models, API and forms."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    """The kinds of a visit's chargeable lines (price list R-P1…R-P5)."""

    PART = "part", _("配件")
    CONSUMABLE = "consumable", _("耗材")
    REPAIR = "repair", _("维修")
    SOFTWARE = "software", _("软件")


class LineItem(models.TextChoices):
    """`other` (priced from its cost) or a fixed-price item (R-P3 repairs, R-P5 software)."""

    OTHER = "other", _("其他")
    LCD_MONITOR = "lcd_monitor", _("液晶显示器维修")
    CRT_MONITOR = "crt_monitor", _("CRT 显示器维修")
    MOTHERBOARD = "motherboard", _("主板维修")
    OS_INSTALL = "os_install", _("操作系统安装")
    OFFICE_TOOLS = "office_tools", _("Office 及常用工具软件安装")


FIXED_REPAIR_ITEMS = {LineItem.LCD_MONITOR, LineItem.CRT_MONITOR, LineItem.MOTHERBOARD}
SOFTWARE_ITEMS = {LineItem.OS_INSTALL, LineItem.OFFICE_TOOLS}
ITEMS_BY_KIND = {
    LineKind.PART: {LineItem.OTHER},
    LineKind.CONSUMABLE: {LineItem.OTHER},
    LineKind.REPAIR: {LineItem.OTHER} | FIXED_REPAIR_ITEMS,
    LineKind.SOFTWARE: SOFTWARE_ITEMS,
}


class ChargeStatus(models.TextChoices):
    """R-B9: a recorded charge may be disputed by the client; the salesperson (or the head) decides."""

    RECORDED = "recorded", _("已记录")
    DISPUTED = "disputed", _("有争议")
    CHARGED = "charged", _("决定收费")
    WAIVED = "waived", _("决定免收")


class Decision(models.TextChoices):
    CHARGE = "charge", _("收费")
    WAIVE = "waive", _("免收")


class DecisionAction(models.TextChoices):
    """What an audit row of a charge records."""

    DISPUTED = "disputed", _("标记争议")
    CHARGE = "charge", _("决定收费")
    WAIVE = "waive", _("决定免收")


class RepairPlanStatus(models.TextChoices):
    """R-B6/R-B7: the salesperson agrees with the client whether the repair is charged."""

    AWAITING_CLIENT = "awaiting_client", _("待与客户商定")
    CHARGE = "charge", _("收费")
    WAIVE = "waive", _("公司承担")
    CANCELLED = "cancelled", _("已作废")  # the visit's charges were re-recorded before any decision
