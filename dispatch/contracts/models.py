"""Maintenance contracts (R-R6): equipment, term, inspection schedule; one Inspection row per slot."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Frequency


class MaintenanceContract(models.Model):
    number = models.CharField(_("合同编号"), max_length=40, unique=True)
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="maintenance_contracts")
    site = models.ForeignKey("servicedesk.Site", verbose_name=_("网点"), on_delete=models.PROTECT, related_name="maintenance_contracts")
    equipment = models.ManyToManyField("servicedesk.Equipment", verbose_name=_("维保设备"), blank=True, related_name="maintenance_contracts")
    starts_on = models.DateField(_("服务期开始"))
    ends_on = models.DateField(_("服务期结束"))
    frequency = models.CharField(_("巡检周期"), max_length=2, choices=Frequency.choices, default=Frequency.QUARTERLY)
    amount = models.DecimalField(_("合同金额"), max_digits=12, decimal_places=2, null=True, blank=True)
    technician = models.ForeignKey("servicedesk.Staff", verbose_name=_("负责技术员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    renewal_reminded_at = models.DateTimeField(_("续约提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("维保合同")
        verbose_name_plural = _("维保合同")
        ordering = ["ends_on", "id"]
        indexes = [models.Index(fields=["ends_on"], condition=Q(renewal_reminded_at__isnull=True), name="contract_renewal_open")]

    def __str__(self):
        return f"{self.number} {self.client}"


class Inspection(models.Model):
    """One scheduled inspection slot of a contract and the work order created for it (idempotent per slot)."""

    contract = models.ForeignKey(MaintenanceContract, verbose_name=_("维保合同"), on_delete=models.PROTECT, related_name="inspections")
    slot = models.DateField(_("计划巡检日期"))
    work_order = models.OneToOneField("servicedesk.WorkOrder", verbose_name=_("巡检工单"), on_delete=models.PROTECT, related_name="inspection")
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("巡检")
        verbose_name_plural = _("巡检")
        ordering = ["slot", "id"]
        constraints = [models.UniqueConstraint(fields=["contract", "slot"], name="one_inspection_per_slot")]


__all__ = ["Inspection", "MaintenanceContract"]
