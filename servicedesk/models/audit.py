"""Audit of role grants and revocations (docs/rules.md §1, Decision (granting roles): every
grant and revocation is a row, so a privilege escalation can be traced).

One row per change of a person's roles, including the roles given when an account is created:
who changed them, when, whose, and the roles before and after. Rows are never edited or deleted.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChange(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("创建账号")
        CHANGED = "changed", _("变更角色")

    at = models.DateTimeField(_("时间"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示系统(迁移、演示数据、命令行)"),
    )
    staff = models.ForeignKey(
        "servicedesk.Staff", verbose_name=_("员工"), on_delete=models.PROTECT, related_name="role_changes"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    old_roles = models.JSONField(_("原角色"), default=list)
    new_roles = models.JSONField(_("新角色"), default=list)

    class Meta:
        verbose_name = _("角色变更记录")
        verbose_name_plural = _("角色变更记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["staff", "by", "at"], name="rolechange_staff_by_at")]

    def __str__(self):
        return f"{self.staff} {self.roles_text(self.old_roles)} → {self.roles_text(self.new_roles)}"

    @staticmethod
    def roles_text(roles) -> str:
        """Roles by their names in the reader's language, "—" for none (never a list's repr)."""
        from ..choices import Role
        from ..texts import _list_sep

        return _list_sep().join(str(Role(r).label) if r in Role.values else str(r) for r in roles or []) or "—"

    @property
    def granted(self) -> list[str]:
        return [r for r in self.new_roles if r not in self.old_roles]

    @property
    def revoked(self) -> list[str]:
        return [r for r in self.old_roles if r not in self.new_roles]
