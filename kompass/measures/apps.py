from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "kompass.measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from kompass.measures.services import measures_load_section
        from kompass.strategy.sections import register_section_loader

        register_section_loader("measures", measures_load_section, position=20)
