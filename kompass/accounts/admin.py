from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kompass.accounts.models import Membership, User
from kompass.core.admin import OfficeAdminMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(OfficeAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_strategy_office", "is_superuser", "is_active"]
    list_filter = ["is_strategy_office", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "language"]}),
        ("Roles", {"fields": ["is_active", "is_strategy_office", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Only admins may hand out admin rights.
        return [] if request.user.is_superuser else ["is_superuser", "is_staff"]
