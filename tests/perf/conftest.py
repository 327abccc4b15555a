import pytest
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture
def fragments_on():
    """Shared fragments and pages on (the test suite runs with them off), in an empty cache."""
    cache.clear()
    with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=60):
        yield
    cache.clear()
