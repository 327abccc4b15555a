from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "kompass.measures"
    verbose_name = "Measures"
