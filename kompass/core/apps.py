from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kompass.core"
    verbose_name = "Kompass core"

    def ready(self):
        from kompass.core import checks, lookups  # noqa: F401 - checks register themselves

        lookups.register()
