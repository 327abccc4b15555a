import datetime
import random

import pytest

from kompass.lottery import services

CATEGORIES = {"gender": ["female", "male"], "district": ["Mitte", "Pankow", "Spandau"]}
QUOTAS = {"gender": {"female": (3, 5), "male": (3, 5)},
          "district": {"Mitte": (2, 4), "Pankow": (2, 4), "Spandau": (1, 3)}}


@pytest.fixture
def people(make_user):
    users = {
        "citizen": make_user("citizen-lw@example.org"),
        "office": make_user("office-lw@example.org", office=True),
        "officer": make_user("officer-lw@example.org"),
        "admin": make_user("admin-lw@example.org", admin=True),
    }
    users["officer"].is_lottery_officer = True
    users["officer"].save()
    return users


@pytest.fixture
def officer(people):
    return people["officer"]


@pytest.fixture
def panel(db, officer):
    return services.panel_create(
        actor=officer, slug="stadtgremium-test", title="Stadtgremium Test", purpose="Auswahl des Stadtgremiums.",
        retention_date=datetime.date.today() + datetime.timedelta(days=365), size=8, categories=CATEGORIES,
        lottery_panels=200)


def register_csv(n: int = 120, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    lines = ["id;first_name;last_name;street;postcode;district"]
    for i in range(n):
        lines.append(f"B{i:04d};Vor{i};Nach{i};Weg {i};1{i % 9}000;{rng.choice(CATEGORIES['district'])}")
    return ("\n".join(lines) + "\n").encode()


def pool_csv(n: int = 30, seed: int = 2) -> bytes:
    rng = random.Random(seed)
    lines = ["name,email,address,gender,district"]
    for i in range(n):
        street = i if i != 2 else 1  # respondents 1 and 2 share a household
        lines.append(f"Vorname{i} Zufallsname,p{i}@example.org,Straße {street},{rng.choice(CATEGORIES['gender'])},"
                     f"{CATEGORIES['district'][i % 3]}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def pooled(panel, officer):
    """A panel with 30 imported respondents and feasible quotas."""
    services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="pool.csv")
    services.quotas_set(actor=officer, panel=panel, quotas=QUOTAS)
    panel.refresh_from_db()
    return panel


@pytest.fixture
def computed(pooled, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    return pooled


@pytest.fixture
def drawn(computed, officer):
    services.hash_publish(actor=officer, panel=computed)
    services.panel_draw(actor=officer, panel=computed, seed="3 1 4 1 5 9")
    computed.refresh_from_db()
    return computed


@pytest.fixture
def published(drawn, officer):
    services.panel_publish(actor=officer, panel=drawn)
    drawn.refresh_from_db()
    return drawn


def pytest_collection_modifyitems(config, items):
    """Until config/urls.py includes the lottery app, its tests use a urlconf that adds it."""
    for item in items:
        if "lottery_web" in str(item.fspath):
            item.add_marker(pytest.mark.urls("tests.lottery_web.urls"))
