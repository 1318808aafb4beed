"""Every message the department sends, with its default words in both languages (the manager may reword them:
MessageTemplate) and the parameters it may use. A template's text is Python %-formatting over its parameters;
`%(links)s` is where the links go (one line each, omitted when no page is registered for them)."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import Audience


@dataclass(frozen=True)
class Template:
    key: str
    label: object
    audience: str
    zh: str
    en: str
    params: tuple


CLIENT, STAFF = Audience.CLIENT, Audience.STAFF

TEMPLATES = {t.key: t for t in [
    Template("dispatched", _("已派单(客户)"), CLIENT,
             "【客服部】技术员 %(technician)s 已接单,预计 %(arrival)s 到达(工单 %(number)s)。",
             "[Service desk] Technician %(technician)s has taken your request and expects to arrive at %(arrival)s "
             "(work order %(number)s).",
             ("technician", "arrival", "number")),
    Template("on_the_way", _("技术员已出发(客户)"), CLIENT,
             "【客服部】技术员 %(technician)s 已出发,预计 %(arrival)s 到达(工单 %(number)s)。",
             "[Service desk] Technician %(technician)s is on the way and expects to arrive at %(arrival)s "
             "(work order %(number)s).",
             ("technician", "arrival", "number")),
    Template("done", _("服务完成(客户)"), CLIENT,
             "【客服部】工单 %(number)s 已完成服务(技术员 %(technician)s)。%(links)s",
             "[Service desk] Work order %(number)s is done (technician %(technician)s).%(links)s",
             ("number", "technician", "links")),
    Template("callback_scheduled", _("已安排回访(客户)"), CLIENT,
             "【客服部】我们将在 %(due)s 前回访工单 %(number)s 的服务,听取您的意见。",
             "[Service desk] We will call you about work order %(number)s by %(due)s to hear how it went.",
             ("number", "due")),
    Template("statement_sent", _("对账单已发送(客户)"), CLIENT,
             "【客服部】%(month)s 对账单 %(number)s 已发送:金额 %(amount)s,到期日 %(due)s。%(links)s",
             "[Service desk] Statement %(number)s for %(month)s has been sent: %(amount)s, due %(due)s.%(links)s",
             ("month", "number", "amount", "due", "links")),
    Template("payment_received", _("收到付款(客户)"), CLIENT,
             "【客服部】已收到贵司 %(date)s 的付款 %(amount)s,谢谢。",
             "[Service desk] We received your payment of %(amount)s on %(date)s. Thank you.",
             ("amount", "date")),
    Template("extension_approved", _("延期已批准(客户)"), CLIENT,
             "【客服部】确认书 %(number)s 的付款期限已延至 %(due)s。",
             "[Service desk] The payment of confirmation %(number)s is now due on %(due)s.",
             ("number", "due")),
    Template("portal_link", _("客户专属页面链接(客户)"), CLIENT,
             "【客服部】%(name)s 您好,这是您的专属服务页面(无需登录):报修、查看工单进度和服务单、评价服务。%(links)s",
             "[Service desk] Hello %(name)s, here is your own service page (no login needed): report a fault, follow "
             "your work orders, download service forms and rate our visits.%(links)s",
             ("name", "links")),
    Template("staff_dispatch", _("新派单(员工)"), STAFF,
             "【客服部】新派单:%(alert)s %(link)s", "[Service desk] New dispatch: %(alert)s %(link)s",
             ("alert", "link")),
    Template("staff_sla", _("即将超时(员工)"), STAFF,
             "【客服部】即将超时:%(alert)s %(link)s", "[Service desk] About to be late: %(alert)s %(link)s",
             ("alert", "link")),
    Template("staff_complaint", _("投诉(员工)"), STAFF,
             "【客服部】投诉:%(alert)s %(link)s", "[Service desk] Complaint: %(alert)s %(link)s",
             ("alert", "link")),
    Template("staff_penalty", _("扣分通知(员工)"), STAFF,
             "【客服部】扣分通知:%(alert)s %(link)s", "[Service desk] Penalty notice: %(alert)s %(link)s",
             ("alert", "link")),
]}

# Which staff alerts (servicedesk.notifications keys, by prefix) go to the person's chosen channel, and as which
# template: a new dispatch, an SLA about to be missed, a complaint to its owner, penalties (R-N5).
STAFF_ALERT_PREFIXES = (
    ("dispatch.new.", "staff_dispatch"),
    ("dispatch.sla-warning.", "staff_sla"),
    ("complaint-new-", "staff_complaint"),
    ("complaint-overdue-", "staff_complaint"),
    ("complaint-decided-", "staff_complaint"),
    ("penalty-", "staff_penalty"),
)

# The words before each link, per language.
LINK_LABELS = {
    "service_form": ("服务单 PDF", "Service form (PDF)"),
    "rating": ("评价本次服务", "Rate this visit"),
    "statement": ("对账单 PDF", "Statement (PDF)"),
    "portal": ("您的页面", "Your page"),
}


def staff_template_for(notification_key: str) -> str | None:
    for prefix, key in STAFF_ALERT_PREFIXES:
        if notification_key.startswith(prefix):
            return key
    return None
