"""Backoffice: panels are read-only here (the process runs through the officer's pages); personal data are not
shown in the admin at all."""

from django.contrib import admin

from kompass.core.admin import ReadOnlyAdminMixin
from kompass.lottery.models import Panel


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "slug", "stage", "size", "retention_date")
    list_filter = ("stage",)
    readonly_fields = [f.name for f in Panel._meta.fields]
