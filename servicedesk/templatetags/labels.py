"""`{% load labels %}`: readable names for stored codes (audit log actions, statuses) — no raw codes on pages."""
from django import template

from ..choices import WorkOrderStatus
from ..localtime import local_dt

register = template.Library()


@register.filter
def status_label(code) -> str:
    if not code:
        return ""
    try:
        return str(WorkOrderStatus(code).label)
    except ValueError:
        return str(code)


@register.filter
def step_label(code) -> str:
    """The step of the job an attachment was added at: the order's status then, or the close-out."""
    from django.utils.translation import gettext

    return gettext("完工服务单") if code == "close_out" else status_label(code)


@register.filter
def action_label(code) -> str:
    """The name of a work-order event (`created`, `dispatch`, …), in the current language: the core names its own
    actions; the apps that stamp the others declare their names (servicedesk/hooks.py, `work_order_actions`)."""
    from django.utils.translation import gettext

    from ..hooks import WORK_ORDER_ACTIONS

    if code in WORK_ORDER_ACTIONS:
        return str(WORK_ORDER_ACTIONS[code])
    extra = {"created": gettext("受理"), "create": gettext("受理"), "attach": gettext("上传附件"), "detach": gettext("移除附件")}
    return extra.get(code) or status_label(code)


@register.filter
def local(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Asia/Shanghai "Y-m-d H:i" for datetimes built anywhere (same as |date:"Y-m-d H:i" in templates)."""
    return local_dt(value, fmt)


@register.filter
def clause_name(rule) -> str:
    """The name of a penalty clause (P1–P11) in the current language, from the parameter catalogue's marked
    labels (docs/developers.md rule 7: the stored `offence` text of the parameter is Chinese data, not a
    translatable label)."""
    from ..param_specs import SPECS

    spec = SPECS.get(f"penalty.{rule}")
    if spec is None:
        return str(rule or "")
    label = str(spec.label)
    prefix = f"{rule} "
    return label[len(prefix):] if label.startswith(prefix) else label
