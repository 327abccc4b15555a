from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "kompass.lifecycle"
    verbose_name = "lifecycle"
