from django.contrib import admin

from kompass.participation.models import Consultation, Idea, Report


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "support_count", "comment_count", "is_hidden", "created_at"]
    list_filter = ["kind", "status", "is_hidden"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Idea._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "opens_at", "closes_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "resolved_at", "resolution"]

    def has_change_permission(self, request, obj=None):
        return False
