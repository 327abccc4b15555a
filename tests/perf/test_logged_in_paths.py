"""Logged-in and token paths (issue 12, ADR 0044): queries per page do not grow with the data, shared fragments
are never stale after a write commits, and what a logged-in account sees is the same with and without them."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from kompass.accounts import roles
from kompass.accounts.models import Membership
from kompass.accounts.services import api_token_create, user_for_token
from kompass.measures import services as measure_services
from kompass.measures.models import Measure
from kompass.participation.models import Idea, Notification
from tests.factories import add_measures

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _ideas(strategy, author, n: int, start: int = 0) -> None:
    ideas = Idea.objects.bulk_create([Idea(strategy=strategy, author=author, title=f"Idee {start + i} für Bänke",
                                           text="Mehr Schatten im Kiez.") for i in range(n)])
    fields = list(strategy.action_fields.all()[:2])
    for idea in ideas:
        idea.action_fields.set(fields)


def _count(client, url, **extra) -> int:
    client.get(url, **extra)  # warm: caches of this process, sessions, generation
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(ctx)


def _urls(measure, token) -> dict:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return {"measure": (f"/measures/{measure.slug}/", {}), "ideas": ("/ideas/", {}),
            "catalogue": ("/measures/", {}), "tasks": ("/my-tasks/", {}),
            "own measure": (f"/measures/{measure.slug}/", {}),
            "api list": ("/api/v1/measures?limit=20", auth), "api measure": (f"/api/v1/measures/{measure.slug}", auth)}


@pytest.mark.parametrize("shared", [False, True], ids=["rendered", "shared-fragments"])
@pytest.mark.django_db
def test_queries_per_logged_in_page_do_not_grow_with_the_data(client, berlin, pilot, make_user, shared):
    from kompass.lifecycle.models import TeamMember

    coordinator = make_user("koordination@example.org", coordinator_of=[pilot.responsible_organisation])
    TeamMember.objects.create(measure=pilot, user=coordinator, role=TeamMember.Role.LEAD)
    citizen = make_user("buergerin@example.org")
    token = api_token_create(actor=citizen, user=citizen, name="test")[1]
    measure = pilot
    counts = []
    with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=60 if shared else 0):
        for size in (1, 2):
            cache.clear()
            add_measures(berlin, 30 * size, organisations=3, seed=size)
            _ideas(berlin, citizen, 25 * size, start=100 * size)
            row = {}
            for name, (url, extra) in _urls(measure, token).items():
                client.force_login(coordinator if name in ("tasks", "own measure") else citizen)
                row[name] = _count(client, url, **extra)
            counts.append(row)
    cache.clear()
    assert counts[0] == counts[1], counts
    if shared:  # whole pages come from the cache (ADR 0083): the strategy, the session (here in the database) and
        # the session's user remain
        assert all(counts[0][name] <= 3 for name in ("measure", "ideas", "catalogue", "own measure", "tasks")), counts
        assert counts[0]["api list"] == 0 and counts[0]["api measure"] == 0, counts


def _strip(content: bytes) -> bytes:
    return CSRF.sub(b'name="csrfmiddlewaretoken" value=""', content)


@pytest.mark.django_db
def test_shared_fragments_give_every_role_the_page_it_had(client, berlin, pilot, make_user):
    """Citizen, coordinator of the measure, office and visitor: the page with fragments (hit) equals the page
    rendered without them."""
    users = [None, make_user("b@example.org"),
             make_user("k@example.org", coordinator_of=[pilot.responsible_organisation]),
             make_user("o@example.org", office=True)]
    urls = [f"/measures/{pilot.slug}/", "/ideas/", "/measures/", "/measures/?status=running",
            f"/api/v1/measures/{pilot.slug}"]
    for user in users:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for url in urls:
            with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=0):
                plain = client.get(url)
            cache.clear()
            with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=60):
                client.get(url)
                shared = client.get(url)
            assert plain.status_code == shared.status_code == 200, url
            assert _strip(plain.content) == _strip(shared.content), (url, user)
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_seen_at_once_by_logged_in_pages(client, berlin_committed, make_user, fragments_on):
    """Each write commits on its own (as in production), so every commit bumps the generation."""
    berlin = berlin_committed
    pilot = berlin.measures.filter(is_pilot=True).select_related("responsible_organisation").order_by("slug").first()
    office = make_user("office@example.org", office=True)
    citizen = make_user("b@example.org")
    client.force_login(citizen)
    new = "Neuer Titel nach dem Commit"
    urls = [f"/measures/{pilot.slug}/", "/measures/?q=Commit", f"/api/v1/measures/{pilot.slug}"]
    for url in urls:
        assert new not in client.get(url).content.decode()
        client.get(url)  # now from the cache
    measure_services.measure_update(actor=office, measure=Measure.objects.get(pk=pilot.pk), data={"title": new})
    assert f'<h1 id="measure-title">{new}</h1>' in client.get(urls[0]).content.decode()  # the shared content
    for url in urls[1:]:
        assert new in client.get(url).content.decode(), url

    client.get("/ideas/")
    _ideas(berlin, citizen, 1, start=900)
    assert "Idee 900 für Bänke" in client.get("/ideas/").content.decode()

    badge = 'kern-badge--info kern-badge--small"><span class="kern-label">1<'
    assert badge not in client.get(urls[0]).content.decode()
    Notification.objects.create(user=citizen, text="Antwort auf Ihren Kommentar")
    assert badge in client.get(urls[0]).content.decode()  # the unread count of the account menu, fresh

    from kompass.accounts.services import membership_set

    edit = f"/measures/{pilot.slug}/edit/"
    assert edit not in client.get(urls[0]).content.decode()
    membership_set(actor=office, user=citizen, organisation=pilot.responsible_organisation,
                   role=Membership.Role.COORDINATOR)
    assert edit in client.get(urls[0]).content.decode()  # the page's permissions, fresh


@pytest.mark.django_db
def test_role_facts_are_read_once_and_again_after_a_role_change(pilot, make_user, django_assert_num_queries):
    user = make_user("k@example.org")
    with django_assert_num_queries(2):  # memberships, then teams: once for all the checks
        for _ in range(3):
            assert not user.has_perm("lifecycle.view_workspace", pilot)
            assert not user.has_perm("monitoring.change_monitoring", pilot)
    Membership.objects.create(user=user, organisation=pilot.responsible_organisation,
                              role=Membership.Role.COORDINATOR)
    assert user.has_perm("measures.change_measure", pilot)  # the write started a new version of the facts
    roles.forget(user)
    Membership.objects.filter(user=user).delete()
    assert not user.has_perm("measures.change_measure", pilot)


@pytest.mark.django_db
def test_token_lookup_is_one_indexed_query(make_user, django_assert_max_num_queries):
    user = make_user("b@example.org")
    token = api_token_create(actor=user, user=user, name="t")[1]
    assert user_for_token(token) == user  # marks the token as used
    with django_assert_max_num_queries(1):
        assert user_for_token(token) == user
    assert user_for_token("kp_wrong") is None and user_for_token("") is None


def test_sessions_are_cached_only_with_a_shared_cache(monkeypatch):
    from tests.ops.test_settings_shape import load

    monkeypatch.delenv("SESSION_CACHE", raising=False)  # load() sets it below; monkeypatch restores it
    monkeypatch.delenv("FRAGMENT_CACHE_SECONDS", raising=False)

    assert load(CACHE_URL="redis://127.0.0.1:6379/0")["SESSION_ENGINE"] == "kompass.accounts.sessions"
    assert "SESSION_ENGINE" not in load(CACHE_URL="")
    monkeypatch.setenv("SESSION_CACHE", "0")
    assert "SESSION_ENGINE" not in load(CACHE_URL="redis://127.0.0.1:6379/0")
    monkeypatch.delenv("SESSION_CACHE")
    assert load(CACHE_URL="redis://127.0.0.1:6379/0")["KOMPASS_FRAGMENT_CACHE_SECONDS"] == 0  # tests: off
    assert load(CACHE_URL="redis://127.0.0.1:6379/0", KOMPASS_TESTING="")["KOMPASS_FRAGMENT_CACHE_SECONDS"] == 60
    assert load(CACHE_URL="", KOMPASS_TESTING="")["KOMPASS_FRAGMENT_CACHE_SECONDS"] == 0


@pytest.mark.django_db
def test_cached_session_copy_is_bounded_and_logout_removes_it(settings, make_user):
    from kompass.accounts.sessions import SessionStore

    settings.KOMPASS_SESSION_CACHE_SECONDS = 5
    store = SessionStore()
    store["x"] = 1
    store.save()
    assert cache.get(store.cache_key) == {"x": 1}
    assert store._cache_seconds(store.get_expiry_age()) == 5
    assert SessionStore(store.session_key).load() == {"x": 1}
    key = store.cache_key
    store.flush()
    assert cache.get(key) is None
    assert not SessionStore().exists(key.removeprefix(SessionStore.cache_key_prefix))
