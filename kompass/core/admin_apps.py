from django.contrib.admin.apps import AdminConfig


class KompassAdminConfig(AdminConfig):
    default_site = "kompass.core.admin_site.KompassAdminSite"
