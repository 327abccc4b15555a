from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    name = "kompass.lottery"
    verbose_name = _("Stadtgremium lottery")
