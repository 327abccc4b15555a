from django.contrib import admin

from kompass.core.admin import OfficeAdminMixin
from kompass.organisations.models import FormerName, Organisation


class FormerNameInline(admin.TabularInline):
    model = FormerName
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("strategy.edit_framework")

    has_change_permission = has_delete_permission = has_view_permission = (
        lambda self, request, obj=None: request.user.has_perm("strategy.edit_framework"))


@admin.register(Organisation)
class OrganisationAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "strategy"]
    list_filter = ["strategy", "kind"]
    search_fields = ["name", "abbreviation", "former_names__name"]
    inlines = [FormerNameInline]
