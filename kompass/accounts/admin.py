from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from kompass.accounts.models import Membership, User, UserGroup
from kompass.accounts.services import membership_remove, membership_set
from kompass.core.admin import OfficeAdminMixin, OfficeInlineMixin

# Kompass decides rights with role flags and rules (kompass.accounts.rules), never with Django's groups and model
# permissions: a group page would offer permissions that have no effect (named in English in the database).
admin.site.unregister(Group)


class MembershipInline(OfficeInlineMixin, admin.TabularInline):
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
        (_("Profile"), {"fields": ["display_name", "language"]}),
        (_("Roles"), {"fields": ["is_active", "is_strategy_office", "is_cdo", "is_reviewer", "is_moderator",
                              "is_lottery_officer", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Only admins may hand out admin rights.
        return [] if request.user.is_superuser else ["is_superuser", "is_staff"]

    def save_formset(self, request, form, formset, change):
        """Memberships change through the audited account services, never directly."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership_remove(actor=request.user, membership=membership)
        for membership in instances:
            if membership.pk and "organisation" in _changed_fields(formset, membership):
                membership_remove(actor=request.user, membership=Membership.objects.get(pk=membership.pk))
            membership_set(actor=request.user, user=form.instance, organisation=membership.organisation,
                           role=membership.role)


def _changed_fields(formset, instance) -> list[str]:
    for sub_form in formset.forms:
        if sub_form.instance is instance:
            return sub_form.changed_data
    return []


@admin.register(UserGroup)
class UserGroupAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["members"]
