from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "kompass.participation"
    verbose_name = "participation"
