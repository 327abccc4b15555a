from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: health/readiness, metrics, request ids and JSON logs, the anonymous page cache and its
    invalidation, backup and restore."""

    name = "kompass.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from kompass.ops import invalidation

        invalidation.connect()
        from kompass.core import fragments

        fragments.register_generation_source(invalidation.generation_and)  # shared fragments (ADR 0044)
        from django.db.models.signals import post_migrate

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="kompass.ops.cachetable")


def _create_cache_table(using="default", **kwargs) -> None:
    """CACHE_URL=db:// needs its table; `migrate` creates it so that no extra step is forgotten."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
