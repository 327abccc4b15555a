from django.contrib.admin.apps import AdminConfig
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ICONS = {True: ("yes", _("yes")), False: ("no", _("no")), None: ("unknown", _("unknown"))}


def boolean_icon(field_val):
    """Django's yes/no icon with a German text alternative (Django's own reads "True"/"False" in every language)."""
    icon, label = ICONS[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


class KompassAdminConfig(AdminConfig):
    default_site = "kompass.core.admin_site.KompassAdminSite"

    def ready(self):
        super().ready()
        from django.contrib.admin.templatetags import admin_list

        # Every caller (change list, read-only fields, display_for_field) looks the icon up in this module.
        admin_list._boolean_icon = boolean_icon
