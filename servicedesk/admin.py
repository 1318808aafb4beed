"""Django admin for every core model. Parameters and calendar days keep history (simple_history)."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .admin_base import ReadOnlyAdmin
from .masterdata.admin import ClientResource, EquipmentResource, MasterDataImportMixin, SiteResource, StaffResource
from .texts import render

from .models import (
    CalendarDay,
    CalendarYear,
    Client,
    Contact,
    Equipment,
    Notification,
    NumberSequence,
    RoleChange,
    RuleParameter,
    Site,
    Staff,
    WorkOrder,
    WorkOrderAttachment,
    WorkOrderEvent,
)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(MasterDataImportMixin, SimpleHistoryAdmin):
    resource_classes = [ClientResource]
    list_display = ["name", "kind", "department", "agreement_start", "software_entitlement", "salesperson", "active"]
    list_filter = ["kind", "department", "software_entitlement", "active"]
    search_fields = ["name", "phone"]
    inlines = [SiteInline, ContactInline]


@admin.register(Site)
class SiteAdmin(MasterDataImportMixin, SimpleHistoryAdmin):
    resource_classes = [SiteResource]
    list_display = ["name", "client", "area", "contact_name", "phone", "resident"]
    list_filter = ["resident", "area"]
    search_fields = ["name", "address", "client__name", "phone"]
    list_select_related = ["client"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "site", "title", "phone"]
    search_fields = ["name", "phone", "client__name"]
    list_select_related = ["client", "site"]


@admin.register(Equipment)
class EquipmentAdmin(MasterDataImportMixin, SimpleHistoryAdmin):
    resource_classes = [EquipmentResource]
    list_display = ["model", "serial", "client", "site", "quantity", "installed_on", "manufacturer_warranty_end", "company_warranty_end"]
    search_fields = ["model", "serial", "client__name"]
    list_filter = ["manufacturer"]
    list_select_related = ["client", "site"]


@admin.register(Staff)
class StaffAdmin(MasterDataImportMixin, SimpleHistoryAdmin):
    resource_classes = [StaffResource]
    list_display = ["name", "user", "roles_display", "area", "team", "team_lead", "resident_site", "active"]
    list_filter = ["active", "area", "user__groups"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["user", "team_lead", "resident_site"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description=_("角色"))
    def roles_display(self, obj):
        from .choices import Role

        return "、".join(str(Role(r).label) for r in obj.roles)


class WorkOrderEventInline(admin.TabularInline):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "action", "from_status", "to_status", "holder", "note_text", "data"]
    exclude = ["note"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("说明"))
    def note_text(self, obj):
        """The note in the reader's language (rule 7), never the stored message's JSON (rule 2)."""
        return render(obj.note)


class WorkOrderAttachmentInline(admin.TabularInline):
    """Photos and documents, read-only; opened through the page that checks the viewer (never the stored file's
    /media/ URL); a removal is a flag made on the work-order page (rule 5)."""

    model = WorkOrderAttachment
    extra = 0
    can_delete = False
    fields = readonly_fields = ["opened", "kind", "original_name", "size", "step", "uploaded_by", "uploaded_at", "removed_by", "removed_at", "removed_reason"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("文件"))
    def opened(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("servicedesk:attachment_file", args=[obj.pk]), obj.original_name)


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "client", "content", "service_mode", "status", "technician", "created_at"]
    list_filter = ["status", "service_mode", "content", "channel"]
    search_fields = ["number", "client__name", "equipment_serial", "contact_phone"]
    list_select_related = ["client", "technician"]
    readonly_fields = ["number", "status", "technician", "version", "created_at", "updated_at"]
    inlines = [WorkOrderEventInline, WorkOrderAttachmentInline]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False  # cancel, never delete (rule 5)


@admin.register(RuleParameter)
class RuleParameterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "rule", "description", "value", "unit", "effective_from", "note", "created_by"]
    list_filter = ["rule", "kind"]
    search_fields = ["name", "description", "rule"]
    ordering = ["name", "-effective_from"]

    def has_delete_permission(self, request, obj=None):
        return False  # versions are history; a change is a new version

    def get_readonly_fields(self, request, obj=None):
        from django.utils import timezone

        if obj and obj.effective_from <= timezone.localdate():
            return ["name", "kind", "value", "effective_from", "unit", "rule", "description"]
        return []

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Shows which years are loaded; a missing year is an error for every working-day computation."""

    list_display = ["year", "source", "holidays", "adjusted_workdays", "loaded_at", "loaded_by", "days_link"]
    readonly_fields = ["loaded_at", "loaded_by", "holidays", "adjusted_workdays"]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        from .workdays import package_years

        known = package_years()
        extra_context["title"] = _("日历年度(软件包已知 %(a)s–%(b)s;其余年份请在“工作日历”页面上传)") % {
            "a": known.start,
            "b": known.stop - 1,
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("日期"))
    def days_link(self, obj):
        url = reverse("admin:servicedesk_calendarday_changelist") + f"?date__year={obj.year}"
        return format_html('<a href="{}">{}</a>', url, _("查看/修改"))

    def has_add_permission(self, request):
        return False  # years are added through the upload page (all 365 days at once)


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "is_working", "name"]
    list_editable = ["kind", "name"]
    list_filter = ["kind", "is_working"]
    date_hierarchy = "date"
    readonly_fields = ["is_working"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["key", "last"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "shown_text", "read_at", "emailed"]
    list_filter = ["emailed"]
    list_select_related = ["recipient"]
    search_fields = ["text", "key"]

    @admin.display(description=_("内容"))
    def shown_text(self, obj):
        return obj.body  # rule 7: in the reader's language


# --- accounts: role changes made in Django's admin follow the same rules and leave the same audit (docs/rules.md §1) ---
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin  # noqa: E402

User = get_user_model()


class AuditedUserAdmin(DjangoUserAdmin):
    """Django's user admin, except that a change of a staff member's role groups goes through
    `services.update_staff` — refused for one's own account or without authority over the role (403, nothing
    saved), written to the role-change audit otherwise — and that only a superuser sees the superuser,
    staff-site and single-permission switches."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "is_staff", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        from .choices import Role
        from .services import update_staff

        user = form.instance
        staff = getattr(user, "staff", None) if change else None
        old_groups = set(user.groups.values_list("pk", flat=True)) if staff is not None else None
        super().save_related(request, form, formsets, change)
        if staff is None:
            return
        new_names = set(user.groups.values_list("name", flat=True))
        if set(user.groups.values_list("pk", flat=True)) == old_groups:
            return
        user.groups.set(old_groups)  # back as it was; the service applies the change with its rules and audit
        staff.__dict__.pop("roles", None)
        update_staff(staff=staff, roles=[r for r in Role.values if r in new_names], by=request.user)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """The role-change audit: read-only, never deleted."""

    list_display = ["at", "staff", "kind", "old_roles", "new_roles", "by"]
    list_filter = ["kind"]
    search_fields = ["staff__name", "staff__user__username", "by__username"]
    list_select_related = ["staff", "by"]
    date_hierarchy = "at"
