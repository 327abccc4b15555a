from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "kompass.organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from kompass.organisations.services import organisations_load_section
        from kompass.strategy.sections import register_section_loader

        register_section_loader("organisations", organisations_load_section, position=10)
