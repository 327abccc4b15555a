from django.apps import AppConfig


class LotteryConfig(AppConfig):
    name = "kompass.lottery"
    verbose_name = "Stadtgremium lottery"
