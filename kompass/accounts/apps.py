from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kompass.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from kompass.accounts import roles

        roles.connect()  # role facts memoised per request (ADR 0044)
