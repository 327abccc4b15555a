from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "kompass.strategy"
    verbose_name = "Strategy framework"
