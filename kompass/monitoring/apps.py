from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kompass.monitoring"
    verbose_name = "monitoring"
