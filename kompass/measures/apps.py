from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "kompass.measures"
    verbose_name = _("Measures")

    def ready(self) -> None:
        from kompass.measures.services import measures_load_section
        from kompass.strategy.sections import register_section_loader

        register_section_loader("measures", measures_load_section, position=20)
