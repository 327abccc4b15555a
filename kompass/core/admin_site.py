from django.contrib import admin


class KompassAdminSite(admin.AdminSite):
    """The back office: open to the strategy office and admins only."""

    site_header = "Kompass – Backoffice"
    site_title = "Kompass Backoffice"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and (user.is_superuser or user.is_strategy_office))
