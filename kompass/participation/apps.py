from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "kompass.participation"
    verbose_name = "participation"

    def ready(self):
        from kompass.accounts import services as account_services
        from kompass.participation import services

        account_services.PERSONAL_DATA_PROVIDERS["participation"] = services.personal_data
        if services.anonymise_contributions not in account_services.ACCOUNT_DELETE_HOOKS:
            account_services.ACCOUNT_DELETE_HOOKS.append(services.anonymise_contributions)
