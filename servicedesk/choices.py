"""Enumerations of the core, shared by models, API and forms (docs/rules.md §1–3; API reference: /api/docs/)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """SPEC §1. Each role is a Django group of the same name; a person may hold several."""

    COORDINATOR = "coordinator", _("协调员")
    TECHNICIAN = "technician", _("技术员")
    TEAM_LEAD = "team_lead", _("技术组长")
    SUPERVISOR = "supervisor", _("监督组长")
    MANAGER = "manager", _("部门经理")
    GM_OFFICE = "gm_office", _("总经办")
    ADMIN = "admin", _("行政部")
    FINANCE = "finance", _("财务")
    SALES = "sales", _("业务员")


class ClientKind(models.TextChoices):
    """R-C1."""

    KEY_ACCOUNT = "key_account", _("大客户")
    RETAIL = "retail", _("零散客户")


class Department(models.TextChoices):
    """R-C2: the originating sales department."""

    BIDDING = "bidding", _("投标部")
    KEY_ACCOUNT = "key_account", _("大客户部")


class SoftwareEntitlement(models.TextChoices):
    """R-B2/R-B3 decision: 3 free visits (default) or 15 working days after installation."""

    VISITS = "visits", _("免费上门次数")
    WORKING_DAYS = "working_days", _("安装后免费工作日")


class ServiceMode(models.TextChoices):
    """R-W2."""

    MOBILE = "mobile", _("流动服务")
    RESIDENT = "resident", _("驻点服务")
    TEAM = "team", _("团队服务")


class ServiceContent(models.TextChoices):
    """R-W1: service content."""

    INSTALL = "install", _("安装")
    COMMISSIONING = "commissioning", _("调试开机")
    REPAIR = "repair", _("维修")
    MAINTENANCE = "maintenance", _("保养")
    SOFTWARE = "software", _("软件服务")


class Channel(models.TextChoices):
    """R-W1: how the request came in."""

    PHONE = "phone", _("电话报修")
    CARRY_IN = "carry_in", _("送修")
    RESIDENT_SITE = "resident_site", _("驻点报修")
    PROJECT = "project", _("项目")


class WorkOrderStatus(models.TextChoices):
    """R-W3: on-site lifecycle, then the carry-in repair lifecycle."""

    NEW = "new", _("新建")
    DISPATCHED = "dispatched", _("已派单")
    ACCEPTED = "accepted", _("已接单")
    CONTACTED = "contacted", _("已联系客户")
    EN_ROUTE = "en_route", _("已出发")
    ON_SITE = "on_site", _("已到达")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")
    # carry-in repairs (送修)
    RECEIVED = "received", _("已接收")
    DIAGNOSING = "diagnosing", _("检测中")
    AWAITING_CONSENT = "awaiting_consent", _("待客户确认")
    REPAIRING = "repairing", _("维修中")
    TESTING = "testing", _("测试中")
    READY_FOR_RETURN = "ready_for_return", _("可以返回")
    RETURNED = "returned", _("已返还")


OPEN_STATUSES = frozenset(
    s
    for s in WorkOrderStatus.values
    if s not in {WorkOrderStatus.RESOLVED, WorkOrderStatus.CLOSED, WorkOrderStatus.CANCELLED, WorkOrderStatus.RETURNED}
)


class ParameterKind(models.TextChoices):
    DECIMAL = "decimal", _("数值")
    INTEGER = "integer", _("整数")
    TABLE = "table", _("表格 (JSON)")


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar 软件包")
    MANUAL = "manual", _("手工录入")
    UPLOAD = "upload", _("上传日期表")
    PROVISIONAL = "provisional", _("按法定假日暂算")
