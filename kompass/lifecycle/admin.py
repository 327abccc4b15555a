from django.contrib import admin

from kompass.core.admin import OfficeAdminMixin
from kompass.lifecycle.models import MeetingFormat, Phase, ProcessSettings, SelectionCriterion


@admin.register(Phase)
class PhaseAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "strategy", "position", "skippable"]
    list_filter = ["strategy"]


@admin.register(MeetingFormat)
class MeetingFormatAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "strategy", "position", "gives_mandate"]
    list_filter = ["strategy"]


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "strategy", "value", "weight"]
    list_filter = ["strategy"]


@admin.register(ProcessSettings)
class ProcessSettingsAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["strategy", "stuck_after_days"]
