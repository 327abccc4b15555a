from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kompass.core"
    verbose_name = _("Kompass core")

    def ready(self):
        from kompass.core import checks, lookups  # noqa: F401 - checks register themselves

        lookups.register()
