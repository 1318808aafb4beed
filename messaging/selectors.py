"""Reads of the messaging pages, each a fixed number of queries (rule 4, rule 8)."""
from django.db.models import Count

from servicedesk.models import WorkOrder

from .catalogue import TEMPLATES
from .choices import OutboxState
from .models import MessageTemplate, OutboxMessage


def outbox(*, state: str = ""):
    qs = OutboxMessage.objects.select_related("staff", "contact__client").order_by("-created_at", "-pk")
    if state in OutboxState.values:
        qs = qs.filter(state=state)
    return qs


def state_counts() -> dict:
    counts = dict(OutboxMessage.objects.values_list("state").annotate(n=Count("pk")).order_by())
    return {s: counts.get(s, 0) for s in OutboxState.values}


def templates() -> list[dict]:
    """Every template: its label, audience, the text in force in both languages and whether the manager changed it."""
    rows = {t.key: t for t in MessageTemplate.objects.select_related("updated_by")}
    out = []
    for key, spec in TEMPLATES.items():
        row = rows.get(key)
        out.append({
            "key": key, "label": spec.label, "audience": spec.audience, "params": spec.params,
            "zh": (row.text_zh if row and row.text_zh else spec.zh), "en": (row.text_en if row and row.text_en else spec.en),
            "custom_zh": bool(row and row.text_zh), "custom_en": bool(row and row.text_en), "row": row,
        })
    return out


def preview_source(key: str) -> tuple[dict, dict, str]:
    """Real data for a preview: the parameters and links of the latest message of this template in the outbox,
    else values read from the latest dispatched work order. Returns (params, links, where they come from)."""
    latest = OutboxMessage.objects.filter(template_key=key).order_by("-created_at", "-pk").first()
    if latest is not None:
        return latest.params, latest.links, f"outbox #{latest.pk}"
    wo = WorkOrder.objects.filter(technician__isnull=False).select_related("technician").order_by("-created_at").first()
    sample = {p: f"%({p})s" for p in TEMPLATES[key].params}
    if wo is not None:
        sample.update(number=wo.number, technician=wo.technician.name)
        when = wo.required_at or wo.created_at
        from django.utils import timezone

        sample["arrival"] = timezone.localtime(when).strftime("%H:%M")
        return sample, {"service_form": {"work_order_id": wo.pk}, "rating": {"work_order_id": wo.pk}}, wo.number
    return sample, {}, ""
