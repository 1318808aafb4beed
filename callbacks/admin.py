from django.contrib import admin

from .models import CallAttempt, Callback, CallbackViolation, Complaint


class CallAttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "answered"]


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["work_order", "client", "technician", "status", "window_opens_at", "due_at", "satisfaction", "late"]
    list_filter = ["status", "window_rule", "satisfaction", "late"]
    search_fields = ["work_order__number", "client__name"]
    list_select_related = ["work_order", "client", "technician"]
    readonly_fields = [f.name for f in Callback._meta.fields]
    inlines = [CallAttemptInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["created_at", "client", "technician", "status", "words"]
    list_filter = ["status"]
    list_select_related = ["client", "technician"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CallbackViolation)
class CallbackViolationAdmin(admin.ModelAdmin):
    list_display = ["callback", "item"]

    def has_delete_permission(self, request, obj=None):
        return False
