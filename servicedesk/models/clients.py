"""Clients, sites, contacts and equipment (SPEC §2)."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ClientKind, Department, SoftwareEntitlement
from ..validators import (
    FREE_TEXT_MAX_LENGTH, NormalizedPhonesMixin, normalize_phone, validate_free_text, validate_phone, validate_serial,
)


class Client(NormalizedPhonesMixin, models.Model):
    name = models.CharField(_("客户名称"), max_length=120, unique=True)
    kind = models.CharField(_("客户类型"), max_length=16, choices=ClientKind.choices)  # R-C1
    department = models.CharField(_("所属部门"), max_length=16, choices=Department.choices)  # R-C2
    agreement_start = models.DateField(_("外包服务协议开始日期"), null=True, blank=True)  # R-C3
    software_entitlement = models.CharField(
        _("软件免费服务方式"),
        max_length=16,
        choices=SoftwareEntitlement.choices,
        default=SoftwareEntitlement.VISITS,
    )  # R-B3
    phone = models.CharField(_("电话"), max_length=24, blank=True, validators=[validate_phone])
    salesperson = models.ForeignKey(
        "servicedesk.Staff",
        verbose_name=_("业务员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clients_owned",
    )
    notes = models.TextField(_("备注"), blank=True, max_length=FREE_TEXT_MAX_LENGTH, validators=[validate_free_text])
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_key_account(self) -> bool:
        return self.kind == ClientKind.KEY_ACCOUNT

    def clean(self):
        self.phone = normalize_phone(self.phone)
        if self.agreement_start and self.kind != ClientKind.KEY_ACCOUNT:
            # R-C3: only key accounts have an outsourced-service agreement.
            raise ValidationError({"agreement_start": _("只有大客户才有外包服务协议。")})


class Site(NormalizedPhonesMixin, models.Model):
    """R-C4: a place of a client; a resident site has technicians stationed there."""

    client = models.ForeignKey(Client, verbose_name=_("客户"), on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("网点名称"), max_length=120)
    address = models.CharField(_("地址"), max_length=200)
    area = models.CharField(_("区域"), max_length=40, db_index=True, help_text=_("区/县,用于派单推荐"))
    contact_name = models.CharField(_("联系人"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=24, validators=[validate_phone])
    resident = models.BooleanField(_("驻点单位"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务网点")
        verbose_name_plural = _("服务网点")
        ordering = ["client__name", "name"]
        constraints = [models.UniqueConstraint(fields=["client", "name"], name="site_name_unique_per_client")]

    def __str__(self):
        return f"{self.client.name} · {self.name}"

    def clean(self):
        self.phone = normalize_phone(self.phone)


class Contact(NormalizedPhonesMixin, models.Model):
    client = models.ForeignKey(Client, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="contacts")
    site = models.ForeignKey(
        Site, verbose_name=_("网点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职务"), max_length=40, blank=True)
    phone = models.CharField(_("电话"), max_length=24, validators=[validate_phone])

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["client__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.phone})"

    def clean(self):
        self.phone = normalize_phone(self.phone)
        if self.site_id and self.client_id and self.site.client_id != self.client_id:
            raise ValidationError({"site": _("该网点不属于此客户。")})


class Equipment(models.Model):
    """R-C5: manufacturer and company warranties end on different dates."""

    client = models.ForeignKey(Client, verbose_name=_("客户"), on_delete=models.PROTECT, related_name="equipment")
    site = models.ForeignKey(
        Site, verbose_name=_("网点"), null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    model = models.CharField(_("设备型号"), max_length=80)
    serial = models.CharField(_("序列号"), max_length=64, validators=[validate_serial])
    manufacturer = models.CharField(_("厂商"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    installed_on = models.DateField(_("安装验收日期"), null=True, blank=True)
    manufacturer_warranty_end = models.DateField(_("厂商保修截止"), null=True, blank=True)
    company_warranty_end = models.DateField(_("公司保修截止"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["client__name", "model", "serial"]
        constraints = [models.UniqueConstraint(fields=["model", "serial"], name="equipment_serial_unique_per_model")]

    def __str__(self):
        return f"{self.model} #{self.serial}"

    def validate_constraints(self, exclude=None):
        # clean() reports a duplicate serial on the field itself; the DB constraint stays the backstop.
        super().validate_constraints(exclude=set(exclude or ()) | {"serial"})

    def clean(self):
        errors = {}
        if self.site_id and self.client_id and self.site.client_id != self.client_id:
            errors["site"] = _("该网点不属于此客户。")
        if (
            self.model
            and self.serial
            and Equipment.objects.filter(model=self.model, serial=self.serial).exclude(pk=self.pk).exists()
        ):
            errors["serial"] = _("型号 %(model)s 下已存在序列号为 %(serial)s 的设备。") % {
                "model": self.model,
                "serial": self.serial,
            }
        for field in ("manufacturer_warranty_end", "company_warranty_end"):
            end = getattr(self, field)
            if end and self.installed_on and end < self.installed_on:
                errors[field] = _("保修截止日期不能早于安装验收日期。")
        if errors:
            raise ValidationError(errors)

    def warranty_state(self, on):
        """Which warranty covers the equipment on a date: 'manufacturer', 'company' or 'none' (R-B1, R-B5, R-B6)."""
        if self.manufacturer_warranty_end and on <= self.manufacturer_warranty_end:
            return "manufacturer"
        if self.company_warranty_end and on <= self.company_warranty_end:
            return "company"
        return "none"
