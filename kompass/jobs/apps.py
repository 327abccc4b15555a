from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kompass.jobs"
    verbose_name = "Background jobs"
