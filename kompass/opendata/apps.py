from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "kompass.opendata"
    label = "opendata"
    verbose_name = _("Open data and federation")
    default_auto_field = "django.db.models.BigAutoField"
