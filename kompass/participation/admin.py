from django.contrib import admin

from kompass.core.admin import ReadOnlyAdminMixin
from kompass.participation.models import Consultation, Idea, Report


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "support_count", "comment_count", "is_hidden", "created_at"]
    list_filter = ["kind", "status", "is_hidden"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Idea._meta.fields]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "opens_at", "closes_at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "reason", "resolved_at", "resolution"]
