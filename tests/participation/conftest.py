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
def flagged(make_user):
    """A user with role flags set, e.g. `flagged("r@example.org", is_reviewer=True)`."""

    def make(email, **flags):
        user = make_user(email)
        for name, value in flags.items():
            setattr(user, name, value)
        user.save()
        return user

    return make


@pytest.fixture
def moderator(flagged):
    return flagged("mod@example.org", is_moderator=True)


@pytest.fixture
def blocked(flagged):
    return flagged("blocked@example.org", is_blocked=True, blocked_reason="spam")


@pytest.fixture
def office(make_user):
    return make_user("office@example.org", office=True)


@pytest.fixture
def idea(berlin, citizen):
    from kompass.participation.services import idea_create

    return idea_create(actor=citizen, strategy=berlin, title="Offenes WLAN im Park", text="Überall im Park.",
                       action_fields=list(berlin.action_fields.all()[:1]), districts=list(berlin.districts.all()[:1]))


@pytest.fixture
def open_consultation(berlin, office):
    """An open consultation (a week to go): `open_consultation("slug", chapters=…)` or `…, statements=[…]`."""
    from datetime import timedelta

    from django.utils import timezone

    from kompass.participation.services import consultation_create

    def make(slug, **content):
        now = timezone.now()
        kind = "statements" if "statements" in content else "text"
        return consultation_create(actor=office, strategy=berlin, slug=slug, title=slug.title(), kind=kind,
                                   opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7), **content)

    return make
