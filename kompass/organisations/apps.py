from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kompass.organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from kompass.organisations.services import organisations_load_section
        from kompass.strategy.sections import register_section_loader

        register_section_loader("organisations", organisations_load_section, position=10)
