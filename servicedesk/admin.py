"""Django admin for every core model (one way to change each record, servicedesk/admin_base.py): master data,
staff profiles and rule parameters save through the services the pages and the API use; work orders, calendars,
notifications, numbering and the audit are read here and written elsewhere. History is read, never reverted."""
import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_base import HistoryAdmin, NoDelete, ReadableAdmin, ReadOnlyAdmin, ReadOnlyInline, ServiceSavedAdmin
from .choices import Role
from .errors import DomainError
from .forms import apply_domain_error
from .services import save_record
from .masterdata.admin import ClientResource, EquipmentResource, MasterDataImportMixin, SiteResource, StaffResource

from .models import (
    CalendarDay,
    CalendarYear,
    Client,
    Contact,
    Equipment,
    MasterDataImportJob,
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


class NoChangeMixin:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SiteInline(ReadableAdmin, admin.TabularInline):
    model = Site
    extra = 0
    can_delete = False


class ContactInline(ReadableAdmin, admin.TabularInline):
    model = Contact
    extra = 0
    can_delete = False


class MasterDataAdmin(ServiceSavedAdmin, HistoryAdmin):
    """Clients, sites, contacts, equipment: saved through services.save_record, as the API does; deactivated,
    never deleted."""

    service = staticmethod(save_record)


@admin.register(Client)
class ClientAdmin(MasterDataImportMixin, MasterDataAdmin):
    resource_classes = [ClientResource]
    list_display = ["name", "kind", "department", "agreement_start", "software_entitlement", "salesperson", "active"]
    list_filter = ["kind", "department", "software_entitlement", "active"]
    search_fields = ["name", "phone"]
    inlines = [SiteInline, ContactInline]


@admin.register(Site)
class SiteAdmin(MasterDataImportMixin, MasterDataAdmin):
    resource_classes = [SiteResource]
    list_display = ["name", "client", "area", "contact_name", "phone", "resident"]
    list_filter = ["resident", "area"]
    search_fields = ["name", "address", "client__name", "phone"]
    list_select_related = ["client"]


@admin.register(Contact)
class ContactAdmin(ServiceSavedAdmin):
    service = staticmethod(save_record)

    list_display = ["name", "client", "site", "title", "phone"]
    search_fields = ["name", "phone", "client__name"]
    list_select_related = ["client", "site"]


@admin.register(Equipment)
class EquipmentAdmin(MasterDataImportMixin, MasterDataAdmin):
    resource_classes = [EquipmentResource]
    list_display = ["model", "serial", "client", "site", "quantity", "installed_on", "manufacturer_warranty_end", "company_warranty_end"]
    search_fields = ["model", "serial", "client__name"]
    list_filter = ["manufacturer"]
    list_select_related = ["client", "site"]


class StaffCreationForm(forms.ModelForm):
    """A new account in the admin, as POST /api/staff/ makes it (services.create_staff): roles only with authority
    over them, a password through Django's validators, the grant audited."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), required=False, strip=False, widget=forms.PasswordInput(render_value=False),
                               help_text=_("留空则暂不设密码,可之后再设置。"))
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Staff
        fields = ["name", "phone", "area", "team", "team_lead", "resident_site", "language"]

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        from .permissions import check_role_change

        data = super().clean()
        if get_user_model().objects.filter(username=data.get("username", "")).exists():
            self.add_error("username", _("用户名 %(u)s 已存在。") % {"u": data["username"]})
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"], get_user_model()(username=data.get("username", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        try:
            check_role_change(self.request_user, staff=None, old_roles=[], new_roles=data.get("roles") or [])
        except PermissionDenied as exc:
            apply_domain_error(self, exc)
        return data


@admin.register(Staff)
class StaffAdmin(MasterDataImportMixin, NoDelete, HistoryAdmin):
    """A profile is created through services.create_staff and changed through services.update_staff, as the staff
    API does: only by someone with authority over every role concerned (another's account above one's authority is
    read-only here and a POST is refused, 403), never one's own deactivation. Roles of an existing account change
    in the user admin (audited); nobody is deleted."""

    resource_classes = [StaffResource]

    list_display = ["name", "user", "roles_display", "area", "team", "team_lead", "resident_site", "active"]
    list_filter = ["active", "area", "user__groups"]
    search_fields = ["name", "user__username", "phone"]
    list_select_related = ["user", "team_lead", "resident_site"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("user__groups")

    @admin.display(description=_("角色"))
    def roles_display(self, obj):
        from .texts import _list_sep

        return _list_sep().join(str(Role(r).label) for r in obj.roles)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "password", "roles", "name", "phone", "area", "team", "team_lead", "resident_site", "language"]
        return ["user", "name", "phone", "area", "team", "team_lead", "resident_site", "active", "language"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffCreationForm
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        from .permissions import check_staff_edit

        if not super().has_change_permission(request, obj):
            return False
        if obj is not None:
            try:
                check_staff_edit(request.user, staff=obj)
            except PermissionDenied:
                return False
        return True

    def save_model(self, request, obj, form, change):
        from .services import create_staff, update_staff

        if change:
            # the form has put the new values on `obj`; the service reads the stored record for its checks
            update_staff(staff=obj, by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data})
            return
        data = form.cleaned_data
        profile = {name: data[name] for name in StaffCreationForm._meta.fields if name != "name"}
        staff = create_staff(
            username=data["username"], name=data["name"], roles=data["roles"], password=data.get("password") or None,
            by=request.user, **profile,
        )
        obj.pk, obj.user_id = staff.pk, staff.user_id

    def save_related(self, request, form, formsets, change):
        pass  # the roles were set by the service


class WorkOrderEventInline(ReadOnlyInline):
    model = WorkOrderEvent
    readonly_fields = ["at", "by", "action", "from_status", "to_status", "holder", "note_text", "data"]
    exclude = ["note"]

    @admin.display(description=_("说明"))
    def note_text(self, obj):
        """The note in the reader's language (rule 7), never the stored message's JSON (rule 2)."""
        from .templatetags.texts import say_typed

        return say_typed(obj.note)


class WorkOrderAttachmentInline(ReadOnlyInline):
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
class WorkOrderAdmin(ReadOnlyAdmin):
    """Read-only: a work order changes only through its workflow services (intake, dispatch, close-out, R-W…),
    which write the history event and the version; a closed order is never rewritten."""

    list_display = ["number", "client", "content", "service_mode", "status", "technician", "created_at"]
    list_filter = ["status", "service_mode", "content", "channel"]
    search_fields = ["number", "client__name", "equipment_serial", "contact_phone"]
    list_select_related = ["client", "technician"]
    inlines = [WorkOrderEventInline, WorkOrderAttachmentInline]
    date_hierarchy = "created_at"


class RuleParameterForm(forms.ModelForm):
    """A new version of a parameter in the admin: the same checks as the page and the API
    (params.check_schedule: authority, never back-dated, type and range), then params.schedule_param."""

    value = forms.CharField(
        label=_("取值"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("数值直接填写,如 300.00;表格填 JSON,与现行版本同形"),
    )

    class Meta:
        model = RuleParameter
        fields = ["name", "value", "effective_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = RuleParameter.objects.order_by("name").values_list("name", flat=True).distinct()
        self.fields["name"] = forms.ChoiceField(label=_("参数"), choices=[("", "---------")] + [(n, n) for n in names])

    def _post_clean(self):
        pass  # no half-built instance is validated: the new version is checked and built by the service (clean)

    def clean(self):
        from .params import check_schedule

        data = super().clean()
        if self.errors:
            return data
        text = data["value"].strip()
        try:
            value = json.loads(text) if text[:1] in "[{" else text
        except ValueError:
            self.add_error("value", _("表格取值不是有效的 JSON。"))
            return data
        try:
            data["parsed_value"] = value
            check_schedule(
                name=data["name"], value=value, effective_from=data["effective_from"],
                today=timezone.localdate(), by=self.request_user,
            )
        except (DomainError, ValidationError, PermissionDenied) as exc:
            apply_domain_error(self, exc)
        return data


@admin.register(RuleParameter)
class RuleParameterAdmin(NoChangeMixin, HistoryAdmin):
    """Versions are history: never changed or deleted here; a change is a new version, scheduled through
    params.schedule_param like on the page and the API (security.* only by admin, never back-dated)."""

    form = RuleParameterForm
    list_display = ["name", "rule", "description", "value", "unit", "effective_from", "note", "created_by"]
    list_filter = ["rule", "kind"]
    search_fields = ["name", "description", "rule"]
    ordering = ["name", "-effective_from"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "value", "effective_from", "note"]
        return ["name", "kind", "value", "unit", "rule", "description", "effective_from", "note", "created_at", "created_by"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        from .params import schedule_param

        data = form.cleaned_data
        row = schedule_param(
            name=data["name"], value=data["parsed_value"], effective_from=data["effective_from"],
            today=timezone.localdate(), by=request.user, note=data["note"],
        )
        for field in RuleParameter._meta.concrete_fields:  # the admin's log and redirect name the stored version
            setattr(obj, field.attname, getattr(row, field.attname))

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    """Shows which years are loaded; a missing year is an error for every working-day computation. Years are
    loaded (all days at once, due dates recomputed) on the working-day calendar page, never edited here."""

    list_display = ["year", "source", "holidays", "adjusted_workdays", "loaded_at", "loaded_by", "days_link"]

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
        return format_html('<a href="{}">{}</a>', url, _("查看"))


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only: a changed day is a corrected year loaded on the calendar page (workdays.load_year), which
    recomputes the due dates that depend on it (the calendar_year_loaded event)."""

    list_display = ["date", "kind", "is_working", "name"]
    list_filter = ["kind", "is_working"]
    date_hierarchy = "date"


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["key", "last"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "shown_text", "read_at", "emailed"]
    list_filter = ["emailed"]
    list_select_related = ["recipient"]
    search_fields = ["text", "key"]

    @admin.display(description=_("内容"))
    def shown_text(self, obj):
        from .templatetags.texts import say_typed

        return say_typed(obj.message or obj.text)  # rule 7: in the reader's language, typed names marked


@admin.register(MasterDataImportJob)
class MasterDataImportJobAdmin(ReadOnlyAdmin):
    """Written by the import job only (masterdata/jobs.py)."""

    list_display = ["created_at", "created_by", "original_name", "status", "done", "total"]
    readonly_fields = [f.name for f in MasterDataImportJob._meta.fields]


# --- accounts: role changes made in Django's admin follow the same rules and leave the same audit (docs/rules.md §1) ---

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

User = get_user_model()


class AuditedUserAdmin(ReadableAdmin, NoDelete, DjangoUserAdmin):
    """Django's user admin, except that a change of a staff member's role groups goes through
    `services.update_staff` — refused for one's own account or without authority over the role (403, nothing
    saved), written to the role-change audit otherwise — and that only a superuser sees the superuser,
    staff-site and single-permission switches. Accounts are deactivated (the staff profile), never deleted."""

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


class RoleGroupAdmin(ReadOnlyAdmin):
    """The role groups (SPEC §1) and their permissions are declared in code and kept in step after every migrate
    (roles.ensure_role_groups); a person's roles change through services.update_staff (audited). Read-only here:
    deleting or renaming a group would take a role from everyone, unaudited."""

    list_display = ["name"]


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """The role-change audit: read-only, never deleted."""

    list_display = ["at", "staff", "kind", "old_roles_text", "new_roles_text", "by"]
    fields = ["at", "by", "staff", "kind", "old_roles_text", "new_roles_text"]
    readonly_fields = ["old_roles_text", "new_roles_text"]

    @admin.display(description=_("原角色"))
    def old_roles_text(self, obj):
        return obj.roles_text(obj.old_roles)

    @admin.display(description=_("新角色"))
    def new_roles_text(self, obj):
        return obj.roles_text(obj.new_roles)

    list_filter = ["kind"]
    search_fields = ["staff__name", "staff__user__username", "by__username"]
    list_select_related = ["staff", "by"]
    date_hierarchy = "at"

