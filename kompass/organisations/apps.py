from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kompass.organisations"
    verbose_name = "Organisations"
