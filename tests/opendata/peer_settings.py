"""Settings of the second Kompass instance the federation test starts on loopback: the normal settings, tables
created straight from the models (no migration history) so that the instance is up in seconds."""

from config.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


MIGRATION_MODULES = _NoMigrations()
