"""Close-out of a visit (R-W10, R-W14): the service form checked and recorded with its charge lines (billing),
the callback (R-K1) and the sales confirmation (R-S1), all in the resolution's transaction."""
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.errors import DomainError
from servicedesk.models import Staff, WorkOrder, WorkOrderEvent
from servicedesk.params import get_param

from ..models import CloseOut
from .common import _begin, _fmt, _local_date, _stamp


CLOSE_OUT_REQUIRED = {
    "work_done": gettext_lazy("工作内容"),
    "fault_cause": gettext_lazy("故障原因"),
    "advice": gettext_lazy("给客户的建议"),
    "started_at": gettext_lazy("开始时间"),
    "ended_at": gettext_lazy("结束时间"),
    "signature_name": gettext_lazy("客户签名(姓名)"),
    "completed_at": gettext_lazy("完成时间"),
}


def clean_lines(lines) -> list[dict]:
    """Close-out lines validated by billing's own rules (one source of truth), as JSON-safe dicts."""
    from billing.services import clean_lines as billing_clean_lines

    try:
        return [line.fingerprint() for line in billing_clean_lines(list(lines or []))]
    except DomainError as exc:
        raise ValidationError({"lines": [str(exc.message)]})


SIGNATURE_PREFIX = "data:image/svg+xml;base64,"

SIGNATURE_MAX_CHARS = 200_000  # technical bound of the stored data URL (~150 KB of SVG), not a SPEC number

_SIGNATURE_FORBIDDEN = (b"<script", b"javascript:", b"<foreignobject", b"<iframe", b"<image", b"<use", b"href", b"<!entity", b"<!doctype")


def clean_signature_drawing(value) -> str:
    """R-W10: the client's drawn signature is an SVG data URL (signature_pad `toDataURL("image/svg+xml")`)
    of bounded size whose SVG holds only drawing: no script, no event handler, no external reference.
    Empty = not drawn (the typed name stays the required signature, R-W10). It is only ever shown as
    `<img src="data:…">`, never inlined into a page."""
    import base64
    import binascii
    import re

    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > SIGNATURE_MAX_CHARS:
        raise DomainError(_("手写签名过大,请清除后重新签名。"), field="signature_drawing")
    if not value.startswith(SIGNATURE_PREFIX):
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    try:
        svg = base64.b64decode(value[len(SIGNATURE_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    head = svg.lstrip()[:200].lower()
    lowered = svg.lower()
    if not (head.startswith(b"<svg") or head.startswith(b"<?xml")) or b"</svg>" not in lowered:
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    if any(bad in lowered for bad in _SIGNATURE_FORBIDDEN) or re.search(rb"\son[a-z]+\s*=", lowered):
        raise DomainError(_("手写签名含有不允许的内容。"), field="signature_drawing")
    return value


def find_previous_visit(*, work_order: WorkOrder, completed_at: datetime) -> CloseOut | None:
    """R-W14 decision: "the same fault" = the same client, the same equipment (by record, or by serial when
    the intake had no equipment record) and the same service content, resolved within
    `second_service.window_days` before this completion."""
    days = get_param("second_service.window_days", on=_local_date(completed_at))
    qs = CloseOut.objects.filter(
        work_order__client_id=work_order.client_id,
        work_order__content=work_order.content,
        completed_at__gte=completed_at - timedelta(days=days.value),
        completed_at__lte=completed_at,
    ).exclude(work_order=work_order)
    if work_order.equipment_id:
        qs = qs.filter(work_order__equipment_id=work_order.equipment_id)
    elif work_order.equipment_serial:
        qs = qs.filter(work_order__equipment_serial=work_order.equipment_serial)
    else:
        return None
    return qs.order_by("-completed_at").first()


def _close_out_errors(wo: WorkOrder, values: dict, *, now: datetime) -> dict[str, list]:
    """R-W10: every required item present (missing ones named), times consistent with each other, with the
    arrival and with now."""
    started_at, ended_at, completed_at = values["started_at"], values["ended_at"], values["completed_at"]
    errors = {
        name: [_("服务单缺少必填项:%(label)s。") % {"label": label}]
        for name, label in CLOSE_OUT_REQUIRED.items()
        if not values[name]
    }
    arrived = (
        WorkOrderEvent.objects.filter(work_order=wo, action="arrive").order_by("-at").values_list("at", flat=True).first()
    )
    if started_at and ended_at and ended_at < started_at:
        errors.setdefault("ended_at", []).append(_("结束时间不能早于开始时间。"))
    if arrived and started_at and started_at < arrived - timedelta(minutes=1):
        errors.setdefault("started_at", []).append(_("开始时间不能早于到达时间(%(at)s)。") % {"at": _fmt(arrived)})
    if completed_at:
        # the page's times have minute precision: a completion in the arrival's own minute is not "before" it
        # (a technician who arrived at 10:03:40 and submits the pre-filled 10:03 is never refused)
        if arrived and completed_at < arrived.replace(second=0, microsecond=0):
            errors.setdefault("completed_at", []).append(_("完成时间不能早于到达时间(%(at)s)。") % {"at": _fmt(arrived)})
        if completed_at > now + timedelta(minutes=5):
            errors.setdefault("completed_at", []).append(_("完成时间不能晚于现在。"))
        if ended_at and completed_at < ended_at:
            errors.setdefault("completed_at", []).append(_("完成时间不能早于结束时间。"))
    return errors


def _create_close_out(wo: WorkOrder, values: dict, *, by: Staff, now: datetime, software_installed: str, lines: list,
                      drawing: str) -> CloseOut:
    """The service form as recorded: R-W10 over-duration against `visit.max_duration_minutes`, R-W14 the previous
    visit for the same fault (this order is then a second service)."""
    started_at, ended_at, completed_at = values["started_at"], values["ended_at"], values["completed_at"]
    on = _local_date(completed_at)
    max_minutes = get_param("visit.max_duration_minutes", on=on)
    over = (ended_at - started_at) > timedelta(minutes=max_minutes.value)
    previous = find_previous_visit(work_order=wo, completed_at=completed_at)
    close_out = CloseOut.objects.create(
        work_order=wo,
        technician=by,
        work_done=values["work_done"],
        fault_cause=values["fault_cause"],
        advice=values["advice"],
        software_installed=(software_installed or "").strip(),
        lines=lines,
        started_at=started_at,
        ended_at=ended_at,
        signature_name=values["signature_name"],
        signature_drawing=drawing,
        completed_at=completed_at,
        recorded_at=now,
        over_duration=over,
        second_service_of=previous.work_order if previous else None,
        explanation={
            "R-W10": {"minutes": int((ended_at - started_at).total_seconds() // 60), "parameters": [max_minutes.as_explanation()]},
            "R-W14": {
                "previous_work_order": previous.work_order_id if previous else None,
                "parameters": [get_param("second_service.window_days", on=on).as_explanation()],
            },
        },
    )
    if previous:
        wo.is_second_service = True
        wo.save(update_fields=["is_second_service"])
    return close_out


def resolve(
    *,
    work_order,
    by: Staff,
    now: datetime,
    work_done: str = "",
    fault_cause: str = "",
    advice: str = "",
    software_installed: str = "",
    lines=(),
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    signature_name: str = "",
    completed_at: datetime | None = None,
    version: int | None = None,
    signature_drawing: str = "",
) -> CloseOut:
    """R-W10 close-out: every required item present (missing ones named), times consistent with the
    arrival, lines priced and recorded by billing in the same transaction; R-W14 second service marked.

    Hook for callbacks (SPEC §4): this transaction is where the callback row is to be scheduled."""
    from billing.services import record_visit_charges
    from callbacks.services import schedule_callback

    with transaction.atomic():
        wo, t = _begin(work_order, "resolve", by=by, version=version)
        values = {
            "work_done": (work_done or "").strip(),
            "fault_cause": (fault_cause or "").strip(),
            "advice": (advice or "").strip(),
            "signature_name": (signature_name or "").strip(),
            "started_at": started_at,
            "ended_at": ended_at,
            "completed_at": completed_at,
        }
        errors = _close_out_errors(wo, values, now=now)
        try:
            clean = clean_lines(lines)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            clean = []
        try:
            drawing = clean_signature_drawing(signature_drawing)
        except DomainError as exc:
            errors.setdefault("signature_drawing", []).append(str(exc.message))
        if errors:
            raise ValidationError(errors)
        close_out = _create_close_out(wo, values, by=by, now=now, software_installed=software_installed, lines=clean,
                                      drawing=drawing)
        on = _local_date(completed_at)
        record_visit_charges(work_order=wo, lines=clean, by=by, on=on, now=now)
        _stamp(
            wo,
            t,
            by=by,
            now=now,
            note=values["work_done"][:200],
            data={"close_out": close_out.pk, "over_duration": close_out.over_duration,
                  "second_service": close_out.second_service_of_id is not None},
        )
        # R-K1: the callback row is written in the same transaction as the resolution.
        schedule_callback(work_order=wo, completed_at=completed_at, part_replaced=close_out.part_replaced)
        # R-S1: a charged visit becomes its sales confirmation in the same transaction (none when free, never twice).
        from receivables.services import sale_from_visit

        sale_from_visit(work_order=wo, technician=by, completed_on=on, now=now)
        from servicedesk.events import client_event

        client_event.send(
            sender=WorkOrder, kind="done", client=wo.client, site=wo.site, event_key=f"done:close_out={close_out.pk}",
            params={"number": wo.number, "technician": by.name},
            links={"service_form": {"work_order_id": wo.pk}, "rating": {"work_order_id": wo.pk}}, now=now,
        )
        return close_out
