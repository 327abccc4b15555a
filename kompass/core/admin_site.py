from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class KompassAdminSite(admin.AdminSite):
    """The back office: open to the strategy office and admins only. Styled with KERN UX (templates in
    kompass/portal/templates/admin/, ADR 0080); the strategy's name in the header comes from the current strategy."""

    site_header = _("Back office")
    site_title = _("Kompass back office")
    index_title = _("Data of the strategy")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and (user.is_superuser or user.is_strategy_office))
