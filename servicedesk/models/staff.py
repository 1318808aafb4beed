"""Staff profiles linked to users; roles are Django groups named after `Role` (SPEC §1)."""
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import Role
from ..validators import NormalizedPhonesMixin, normalize_phone, validate_phone


class StaffQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_role(self, role: str):
        return self.filter(user__groups__name=role).distinct()

    def technicians(self):
        return self.active().with_role(Role.TECHNICIAN)


class Staff(NormalizedPhonesMixin, models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("手机"), max_length=24, blank=True, validators=[validate_phone])
    area = models.CharField(_("负责区域"), max_length=40, blank=True, db_index=True)
    team = models.CharField(_("班组"), max_length=40, blank=True)
    team_lead = models.ForeignKey(
        "self",
        verbose_name=_("技术组长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_members",
    )
    resident_site = models.ForeignKey(
        "servicedesk.Site",
        verbose_name=_("驻点网点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_staff",
        help_text=_("驻点技术员所在的驻点单位"),
    )
    active = models.BooleanField(_("在职"), default=True)
    # Rule 7: the language this person reads in — their pages when this browser has no picked language, and
    # always their e-mails and exports; set from the language picker
    language = models.CharField(
        _("语言"), max_length=16, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("页面(未在本浏览器选择语言时)、邮件和导出使用的语言"),
    )
    # "sign out everywhere" (servicedesk.auth.sessions): every session signed in before this moment is ended on its
    # next request, on every device
    sessions_revoked_at = models.DateTimeField(
        _("会话撤销时间"), null=True, blank=True, help_text=_("此时间之前登录的所有会话均已退出(所有设备)")
    )
    history = HistoricalRecords()

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.phone = normalize_phone(self.phone)

    @cached_property
    def roles(self) -> list[str]:
        """Role codes in the order of `Role`; uses prefetched groups when present, and within a request the roles
        already read for the same user (servicedesk.memo: one groups query per person and request)."""
        from servicedesk.memo import roles_of

        def compute():
            names = {g.name for g in self.user.groups.all()}
            return [r for r in Role.values if r in names]

        return roles_of(self.user_id, compute)

    def has_role(self, *roles: str) -> bool:
        return self.user.is_superuser or any(r in self.roles for r in roles)

    @property
    def is_resident(self) -> bool:
        return self.resident_site_id is not None
