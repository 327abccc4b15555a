from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kompass.monitoring"
    verbose_name = "monitoring"

    def ready(self):
        # Replaces the lifecycle's placeholder gate "has_indicator" with the real check.
        from kompass.monitoring import criteria  # noqa: F401
