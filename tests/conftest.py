"""Shared fixtures. The Berlin dataset is loaded once per test session into the test database; every test
runs in a transaction that is rolled back, so tests may change data freely."""

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("KOMPASS_TESTING", "1")

# Property tests generate their examples deterministically, so a CI run is reproducible; set
# HYPOTHESIS_PROFILE=explore locally to search with fresh random examples.
hypothesis_settings.register_profile("kompass", derandomize=True, deadline=None, database=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kompass"))

ROOT = Path(__file__).resolve().parent.parent
BERLIN = ROOT / "data" / "strategies" / "berlin-gdb.yaml"
EXAMPLE_CITY = ROOT / "data" / "strategies" / "example-city.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    with django_db_blocker.unblock():
        strategy_load(actor=STRATEGY_LOADER, path=BERLIN)


@pytest.fixture
def berlin(db):
    from kompass.strategy.models import Strategy

    return Strategy.objects.get(slug="berlin-gdb")


@pytest.fixture
def make_user(db):
    from kompass.accounts.models import Membership, User

    def make(email, *, office=False, admin=False, coordinator_of=None, member_of=None, password="S3cure-pass-word"):
        user = User.objects.create_user(email=email, password=password, is_strategy_office=office,
                                        is_superuser=admin, is_staff=admin)
        for org in coordinator_of or []:
            Membership.objects.create(user=user, organisation=org, role=Membership.Role.COORDINATOR)
        for org in member_of or []:
            Membership.objects.create(user=user, organisation=org, role=Membership.Role.MEMBER)
        return user

    return make


@pytest.fixture
def pilot(berlin):
    """A real pilot measure of the Berlin dataset with its responsible organisation."""
    return berlin.measures.filter(is_pilot=True).select_related("responsible_organisation").order_by("slug").first()


@pytest.fixture
def role_users(make_user, pilot, berlin):
    """One person per role around `pilot`: the role matrix of measure permissions (visitor = anonymous)."""
    own = pilot.responsible_organisation
    other = berlin.organisations.exclude(pk=own.pk).order_by("slug").first()
    return {
        "visitor": None,
        "citizen": make_user("citizen@example.org"),
        "member": make_user("member@example.org", member_of=[own]),
        "coordinator_own": make_user("coord@example.org", coordinator_of=[own]),
        "coordinator_other": make_user("other@example.org", coordinator_of=[other]),
        "strategy_office": make_user("office@example.org", office=True),
        "admin": make_user("admin@example.org", admin=True),
    }


@pytest.fixture(autouse=True)
def _german_by_default():
    """Each test starts with German active, as a visitor without a language prefix would."""
    from django.conf import settings

    if not settings.configured:  # pure algorithm tests may run with -p no:django
        yield
        return
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


@pytest.fixture
def berlin_committed(transactional_db):
    """Berlin for transactional tests: they flush the database afterwards, so later ones may find it empty."""
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load

    if not Strategy.objects.filter(slug="berlin-gdb").exists():
        strategy_load(actor=STRATEGY_LOADER, path=BERLIN)
    return Strategy.objects.get(slug="berlin-gdb")
