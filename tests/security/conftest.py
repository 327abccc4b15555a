"""A small populated world for the hostile-input tests: one user per role, an idea with a comment, a text
consultation and an opinion-map consultation with a statement."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def roles(make_user, berlin):
    org = berlin.organisations.order_by("pk").first()
    citizen = make_user("citizen@example.org")
    citizen.display_name = "Kiezfuchs"
    citizen.save()
    admin = make_user("admin@example.org", admin=True, office=True, coordinator_of=[org])
    for flag in ("is_cdo", "is_reviewer", "is_moderator", "is_lottery_officer"):
        setattr(admin, flag, True)
    admin.save()
    return {"anonymous": None, "citizen": citizen, "admin": admin}


@pytest.fixture
def world(berlin, roles):
    from kompass.participation import services

    admin, citizen = roles["admin"], roles["citizen"]
    idea = services.idea_create(actor=citizen, strategy=berlin, title="Offenes WLAN im Park", text="Überall.",
                                action_fields=list(berlin.action_fields.all()[:1]),
                                districts=list(berlin.districts.all()[:1]))
    services.comment_create(actor=citizen, idea=idea, text="Gute Idee.", ip="192.0.2.1")
    now = timezone.now()
    text = services.consultation_create(actor=admin, strategy=berlin, slug="entwurf", title="Entwurf",
                                        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
                                        chapters=services.parse_draft("# Eins\nAbsatz.\n"))
    services.consultation_create(actor=admin, strategy=berlin, slug="meinungsbild", title="Meinungsbild",
                                 kind="statements", opens_at=now - timedelta(days=1),
                                 closes_at=now + timedelta(days=7), statements=["Mehr Bänke", "Mehr Bäume"])
    cache.clear()
    return {"idea": idea, "consultation": text}
