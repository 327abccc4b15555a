from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kompass.monitoring"
    verbose_name = _("monitoring")

    def ready(self):
        # Replaces the lifecycle's placeholder gate "has_indicator" with the real check.
        from kompass.measures.pages import register_page_permission
        from kompass.monitoring import criteria  # noqa: F401

        register_page_permission("monitoring.change_monitoring")  # edit links of _measure_section.html (can_monitor)
