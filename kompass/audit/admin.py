from django.contrib import admin

from kompass.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_module_permission(self, request):
        return request.user.has_perm("audit.view_events")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audit.view_events")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
