"""Core data of the department: clients, sites, equipment, staff, work orders,
rule parameters and the working-day calendar."""
from .attachments import AttachmentKind, WorkOrderAttachment
from .audit import RoleChange
from .calendar import CalendarDay, CalendarYear
from .clients import Client, Contact, Equipment, Site
from .imports import JobStatus, MasterDataImportJob
from .notifications import Notification
from .numbering import NumberSequence
from .params import RuleParameter
from .staff import Staff
from .work_orders import WorkOrder, WorkOrderEvent

__all__ = [
    "AttachmentKind",
    "CalendarDay",
    "CalendarYear",
    "Client",
    "Contact",
    "Equipment",
    "JobStatus",
    "MasterDataImportJob",
    "Notification",
    "NumberSequence",
    "RoleChange",
    "RuleParameter",
    "Site",
    "Staff",
    "WorkOrder",
    "WorkOrderAttachment",
    "WorkOrderEvent",
]
