from django.contrib import admin

from kompass.core.admin import OfficeAdminMixin, OfficeInlineMixin
from kompass.organisations.models import FormerName, Organisation


class FormerNameInline(OfficeInlineMixin, admin.TabularInline):
    model = FormerName
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "strategy"]
    list_filter = ["strategy", "kind"]
    search_fields = ["name", "abbreviation", "former_names__name"]
    inlines = [FormerNameInline]
