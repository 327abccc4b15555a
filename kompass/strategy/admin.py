from django.contrib import admin

from kompass.core.admin import OfficeAdminMixin
from kompass.strategy import models


@admin.register(models.Strategy)
class StrategyAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "version", "city", "is_current"]
    search_fields = ["name", "city"]


class FrameworkAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "strategy", "position"]
    list_filter = ["strategy"]
    search_fields = ["name", "name_en", "slug"]
    ordering = ["strategy", "position"]


for model in (models.Value, models.FuturePerspective, models.PrincipleGroup, models.Principle,
              models.ActionFieldCluster, models.ActionField, models.SpatialLevel):
    admin.site.register(model, FrameworkAdmin)


@admin.register(models.District)
class DistrictAdmin(FrameworkAdmin):
    exclude = ["geometry"]
