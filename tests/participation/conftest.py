import pytest


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """Rate-limit counters live in the cache; uploads go to a temporary directory."""
    from django.core.cache import cache

    cache.clear()
    # Generous limits so that tests creating much data are not throttled; test_rate_limits sets small ones.
    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {a: (10_000, 3600) for a in
                                                  ("idea", "comment", "support", "vote", "statement")}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    yield
    cache.clear()


@pytest.fixture
def citizen(make_user):
    user = make_user("citizen@example.org")
    user.display_name = "Kiezfuchs"
    user.save()
    return user


@pytest.fixture
def moderator(make_user):
    user = make_user("mod@example.org")
    user.is_moderator = True
    user.save()
    return user


@pytest.fixture
def blocked(make_user):
    user = make_user("blocked@example.org")
    user.is_blocked = True
    user.blocked_reason = "spam"
    user.save()
    return user


@pytest.fixture
def office(make_user):
    return make_user("office@example.org", office=True)


@pytest.fixture
def idea(berlin, citizen):
    from kompass.participation.services import idea_create

    return idea_create(actor=citizen, strategy=berlin, title="Offenes WLAN im Park", text="Überall im Park.",
                       action_fields=list(berlin.action_fields.all()[:1]), districts=list(berlin.districts.all()[:1]))
