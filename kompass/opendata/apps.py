from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "kompass.opendata"
    label = "opendata"
    verbose_name = _("Open data and federation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kompass.measures.pages import register_page_permission

        register_page_permission("lifecycle.mark_replication")  # the replication forms of _measure_section.html
