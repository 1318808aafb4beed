"""What every app's admin shares (apps import it from here; servicedesk is the base of the dependency chain)."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services (audit, history, compiled results): listed and read in the admin,
    never added, changed or deleted there (rules 4 and 5 of the house)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
