"""In-app notifications (alerts for overdue callbacks, deadlines, escalations)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey("servicedesk.Staff", verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications")
    # What the alert is about, as a stable key: one alert per (key, recipient), so a scan run twice alerts once.
    key = models.CharField(_("事件"), max_length=120)
    # Rule 7: a text the system composed is kept as a message (servicedesk.texts) and read in the reader's
    # language; `text` keeps it in the site's language (search, admin) and holds the words of alerts written
    # before, or by a caller that passes finished text, which read as written
    text = models.CharField(_("内容"), max_length=300)
    message = models.JSONField(_("内容(消息)"), null=True, blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="notification_once_per_recipient")]

    def __str__(self):
        return self.body

    @property
    def body(self) -> str:
        """The alert in the active language (the reader's page, the recipient's e-mail)."""
        if self.message:
            from ..texts import render

            return render(self.message)
        return self.text
