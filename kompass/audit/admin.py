from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kompass.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor_code", "action_code", "object_repr"]
    # The events are technical keys (e.g. "measure.updated"): searchable, shown as code, not offered as a filter.
    list_filter = ["occurred_at"]
    search_fields = ["actor_label", "object_repr", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("acting (pseudonym)"), ordering="actor_label")
    def actor_code(self, obj):
        return format_html("<code>{}</code>", obj.actor_label)

    @admin.display(description=_("event"), ordering="action")
    def action_code(self, obj):
        return format_html("<code>{}</code>", obj.action)

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
