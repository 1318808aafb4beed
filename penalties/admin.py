"""Admin: read-mostly. Penalty records are never deleted (R-N4); decisions go through the services."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from servicedesk.admin_base import ReadOnlyAdmin, ReadOnlyInline
from servicedesk.texts import render_html

from .models import DismissalFlag, Penalty, PenaltyDecision


class DecisionInline(ReadOnlyInline):
    model = PenaltyDecision
    readonly_fields = ["action", "by", "at", "points_before", "points_after", "reason"]


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    """Proposed from events and decided through penalties.services (R-N1…R-N4): read-only here."""

    list_display = ["occurred_on", "person", "rule", "joint_role", "suggested_points", "points", "status", "source_text"]
    list_filter = ["rule", "status", "joint_role"]
    list_select_related = ["person"]
    search_fields = ["person__name", "reason", "source_label"]
    date_hierarchy = "occurred_on"
    inlines = [DecisionInline]
    readonly_fields = [f.name for f in Penalty._meta.concrete_fields if f.name != "id"]

    @admin.display(description=_("来源"))
    def source_text(self, obj):
        return obj.source_html  # rule 7: in the reader's language, typed names marked


@admin.register(PenaltyDecision)
class PenaltyDecisionAdmin(ReadOnlyAdmin):
    list_display = ["at", "penalty", "action", "by", "points_before", "points_after"]
    list_filter = ["action"]
    list_select_related = ["penalty", "penalty__person", "by"]


@admin.register(DismissalFlag)
class DismissalFlagAdmin(ReadOnlyAdmin):
    list_display = ["person", "raised_at", "reason_text", "status", "decision", "decided_by"]

    @admin.display(description=_("原因"))
    def reason_text(self, obj):
        return render_html(obj.reason)  # rule 7: in the reader's language
    list_filter = ["status", "decision"]
    list_select_related = ["person", "decided_by"]
    readonly_fields = [f.name for f in DismissalFlag._meta.concrete_fields if f.name != "id"]
