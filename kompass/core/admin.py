"""Shared back-office behaviour: permission from rules, and every save/delete goes through an audited service."""

from django.db import transaction

from kompass.audit.services import record_event


class OfficeAdminMixin:
    """Only the strategy office and admins may use these pages; writes are recorded as audit events."""

    office_perm = "strategy.edit_framework"

    def has_module_permission(self, request):
        return request.user.has_perm(self.office_perm)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def has_add_permission(self, request, *args):
        return request.user.has_perm(self.office_perm)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {name: (form.initial.get(name), form.cleaned_data.get(name)) for name in form.changed_data
                       if "password" not in name}  # never copy secrets into the audit log
            label = obj._meta.model_name
            record_event(actor=request.user, action=f"{label}.{'updated' if change else 'created'}", obj=obj,
                         changes=changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_event(actor=request.user, action=f"{obj._meta.model_name}.deleted", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class OfficeInlineMixin:
    """Inlines follow the same rule as their parent pages (Django's model permissions are not used)."""

    office_perm = "strategy.edit_framework"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self.office_perm)


class ReadOnlyAdminMixin:
    """A back-office page that only shows rows whose app writes them through its own pages and services (ideas,
    consultations, reports, panels): no add, change or delete here, so nothing bypasses those audited paths."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
