"""What every app's admin shares (apps import it from here; servicedesk is the base of the dependency chain).

One way to change each record (docs/developers.md rule 4): a model whose writes belong to a service is read-only in
the admin for everybody (`ReadOnlyAdmin`); the few models the admin may write (master data, staff profiles, rule
parameters) save through the very service the pages and the API use (`ServiceSavedAdmin`), so the admin can never
do what the service would refuse. tests/security/test_admin_roles.py checks every registered model × role."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class NoDelete:
    """Never deleted in the admin (records are deactivated or corrected by new rows: rules 4 and 5 of the house)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDelete, admin.ModelAdmin):
    """Records written only by the services (audit, history, workflow, compiled results): listed and read in the
    admin, never added, changed or deleted there (rules 4 and 5 of the house)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A read-only inline of a read-only record."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceSavedAdmin(NoDelete, admin.ModelAdmin):
    """The admin's form validates, then `save_model` hands the record to the app's service (`save_record` style:
    `service(instance)`); never deleted. Subclasses set `service` (a staticmethod) or override `save_model`."""

    service = None

    def save_model(self, request, obj, form, change):
        type(self).service(obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in instances:
            type(self).service(obj)
        formset.save_m2m()


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin, for reading a record's history only: its "revert" form would save an old version
    past the service (and accepts a POST from anyone who may merely view the record), so a POST there is refused
    and the button is hidden (SIMPLE_HISTORY_REVERT_DISABLED)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True
