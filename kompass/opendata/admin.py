from django.contrib import admin

from kompass.core.admin import OfficeAdminMixin
from kompass.opendata.models import HarvestedRecord, Source


@admin.register(Source)
class SourceAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ("name", "url", "kind", "is_active", "last_harvest_at", "last_status")
    fields = ("name", "url", "kind", "is_active", "interval_hours", "last_harvest_at", "last_status", "last_message")
    readonly_fields = ("last_harvest_at", "last_status", "last_message")


@admin.register(HarvestedRecord)
class HarvestedRecordAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "source", "state", "licence_title", "changed_at")
    list_filter = ("kind", "state", "source")
    search_fields = ("title", "summary")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

