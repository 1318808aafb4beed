"""Work orders and their history (SPEC §3, R-W1–R-W3)."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import OPEN_STATUSES, Channel, ServiceContent, ServiceMode, WorkOrderStatus
from ..validators import NormalizedPhonesMixin, normalize_phone, validate_phone
from .labels import FastChoiceLabels
from ..validators import FREE_TEXT_MAX_LENGTH, validate_free_text


class WorkOrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    # Who may see a work order has this one home (docs/developers.md rule 6, SPEC §1): pages, the API and the
    # selectors of every app ask these methods (or WorkOrder.can_view), never the roles themselves.

    def visible_to(self, staff, *, held_before: bool = False):
        """The orders `staff` may see: every order for the department-wide roles (permissions.DEPARTMENT_WIDE) and
        superusers; for anyone else (a technician) only those they are responsible for now — and, with
        `held_before`, those they held earlier (the R-W11 holders of the history; see known_to). None: nothing."""
        from ..permissions import sees_all_work_orders

        if staff is None:
            return self.none()
        if sees_all_work_orders(staff):
            return self
        mine = models.Q(technician=staff)
        if held_before:
            mine |= models.Q(pk__in=WorkOrderEvent.objects.filter(holder=staff).values("work_order_id"))
        return self.filter(mine)

    def known_to(self, staff):
        """The orders whose existence `staff` may learn: the visible ones and those a technician held before. A step
        on one they no longer hold answers 403 or 409 "refresh"; any other order answers 404, as if it did not
        exist (rule 6: not revealed)."""
        return self.visible_to(staff, held_before=True)


class WorkOrder(FastChoiceLabels, NormalizedPhonesMixin, models.Model):
    phone_fields = ("contact_phone",)

    number = models.CharField(_("工单号"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey("servicedesk.Client", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="work_orders")
    site = models.ForeignKey("servicedesk.Site", verbose_name=_("网点"), on_delete=models.PROTECT, related_name="work_orders")
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=24, validators=[validate_phone])
    equipment = models.ForeignKey(
        "servicedesk.Equipment",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    equipment_model = models.CharField(_("设备型号"), max_length=80, blank=True)
    equipment_serial = models.CharField(_("序列号"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    content = models.CharField(_("服务内容"), max_length=16, choices=ServiceContent.choices)
    channel = models.CharField(_("报修方式"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    service_mode = models.CharField(_("服务方式"), max_length=16, choices=ServiceMode.choices, default=ServiceMode.MOBILE)
    description = models.TextField(_("故障描述"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    required_at = models.DateTimeField(_("要求上门时间"), null=True, blank=True)
    cooperation_chargeable = models.BooleanField(
        _("配合单收费标记"), null=True, blank=True, help_text=_("R-B4:配合单上的收费/不收费标记;空表示无配合单")
    )
    status = models.CharField(_("状态"), max_length=20, choices=WorkOrderStatus.choices, default=WorkOrderStatus.NEW, db_index=True)
    technician = models.ForeignKey(
        "servicedesk.Staff",
        verbose_name=_("负责技术员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    is_second_service = models.BooleanField(_("二次服务"), default=False)  # R-W14
    created_by = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("受理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Optimistic lock for stale form submissions (bumped by every transition service).
    version = models.PositiveIntegerField(_("版本"), default=0)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["technician", "status"]),
            models.Index(fields=["status", "created_at"]),
            # the phone's "my work" order (required time, nulls last = the btree's own order, then waiting longest)
            models.Index(fields=["technician", "required_at", "created_at", "id"], name="wo_technician_urgency"),
            # the coordinator's board (dispatch.selectors.board), polled by every coordinator: partial indexes holding
            # only the orders it shows, in its order — the waiting orders (required time first, nulls last = the
            # btree's own order, then waiting longest) and their count; the dispatched ones not yet set off; each
            # technician's open on-site jobs, from which it picks the current one
            models.Index(fields=["required_at", "created_at", "id"], name="wo_board_waiting",
                         condition=models.Q(status="new")),
            models.Index(fields=["created_at", "id"], name="wo_board_dispatched",
                         condition=models.Q(status__in=["dispatched", "accepted", "contacted"])),
            models.Index(fields=["technician", "created_at"], name="wo_board_current_job",
                         condition=models.Q(status__in=["on_site", "en_route", "contacted", "accepted", "dispatched"])),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_view(self, staff) -> bool:
        """May `staff` see this order? The rule of WorkOrderQuerySet.visible_to, for an order already loaded."""
        from ..permissions import sees_all_work_orders

        return staff is not None and (sees_all_work_orders(staff) or self.technician_id == staff.pk)

    def clean(self):
        self.contact_phone = normalize_phone(self.contact_phone)
        errors = {}
        if self.site_id and self.client_id and self.site.client_id != self.client_id:
            errors["site"] = _("该网点不属于此客户。")
        if self.equipment_id and self.client_id and self.equipment.client_id != self.client_id:
            errors["equipment"] = _("该设备不属于此客户。")
        if errors:
            raise ValidationError(errors)


class WorkOrderEvent(FastChoiceLabels, models.Model):
    """Who did what and when to a work order (R-W3 stamps, R-W11 holders)."""

    work_order = models.ForeignKey(WorkOrder, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    by = models.ForeignKey("servicedesk.Staff", verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    holder = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("负责人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # rule 7: what a person typed (a plain string, kept as typed) or a message a service composed, e.g.
    # "承诺 … 到达" ({"id", "params"}: read in the reader's language with servicedesk.texts.render / |say)
    note = models.JSONField(_("说明"), default=str, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.work_order_id} {self.action} @ {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
