"""Whole logged-in pages shared per frame facts and permissions (ADR 0083): nobody gets another account's links,
permissions or CSRF token from a shared page, a committed write shows at once, and the finished API answers are
the ones ninja makes."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from kompass.accounts.services import api_token_create
from kompass.core import fragments
from kompass.measures import services as measure_services
from kompass.measures.models import Measure

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _logged_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_shared_own_measure_page_gives_edit_links_only_to_the_role(berlin, pilot, make_user, fragments_on):
    org = pilot.responsible_organisation
    first = make_user("k1@example.org", coordinator_of=[org])
    second = make_user("k2@example.org", coordinator_of=[org])
    citizen = make_user("b@example.org")
    url, edit = f"/measures/{pilot.slug}/", f"/measures/{pilot.slug}/edit/"
    assert edit in _logged_in(first).get(url).content.decode()  # rendered and stored for the coordinators' flags
    for _ in range(2):
        assert edit not in _logged_in(citizen).get(url).content.decode()
        assert edit not in Client().get(url).content.decode()
    page = _logged_in(second).get(url).content.decode()
    assert edit in page  # the same permissions share the page
    assert "k1@example.org" not in page and fragments.CSRF_MARKER not in page


@pytest.mark.django_db
def test_the_frame_of_a_shared_page_follows_the_visitor(berlin, make_user, fragments_on):
    office = make_user("o@example.org", office=True)
    citizen = make_user("b@example.org")
    for url in ("/ideas/", "/measures/"):
        assert 'href="/backoffice/"' in _logged_in(office).get(url).content.decode()
        page = _logged_in(citizen).get(url).content.decode()
        assert 'href="/backoffice/"' not in page and 'action="/accounts/logout/"' in page
        visitor = Client().get(url).content.decode()
        assert 'action="/accounts/logout/"' not in visitor and "/accounts/login/" in visitor


@pytest.mark.django_db
def test_the_csrf_token_in_a_shared_page_is_the_visitors_own(berlin, make_user, fragments_on):
    first, second = make_user("a@example.org"), make_user("b@example.org")
    _logged_in(first).get("/ideas/")  # stores the page
    client = _logged_in(second)
    page = client.get("/ideas/").content.decode()
    token = TOKEN.search(page).group(1)
    assert token != fragments.CSRF_MARKER
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302  # accepted
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_page_with_a_message_to_show_is_rendered_for_the_visitor(rf, berlin, make_user, fragments_on):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client = _logged_in(make_user("b@example.org"))
    client.get("/ideas/")
    client.get("/ideas/")  # the shared page is stored
    text = "Ihre Idee ist gespeichert."
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode([Message(constants.SUCCESS, text)])
    assert text in client.get("/ideas/").content.decode()
    assert text not in client.get("/ideas/").content.decode()  # shown once, then the shared page again


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_shows_at_once_on_shared_pages_and_api_answers(berlin_committed, make_user, fragments_on):
    berlin = berlin_committed
    pilot = berlin.measures.filter(is_pilot=True).select_related("responsible_organisation").order_by("slug").first()
    office = make_user("office@example.org", office=True)
    coordinator = make_user("k@example.org", coordinator_of=[pilot.responsible_organisation])
    token = api_token_create(actor=office, user=office, name="t")[1]
    client = _logged_in(coordinator)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    new = "Titel nach dem Commit"
    page, answers = f"/measures/{pilot.slug}/", ["/api/v1/measures?limit=100", f"/api/v1/measures/{pilot.slug}"]
    for _ in range(2):
        assert new not in client.get(page).content.decode()
        assert all(new not in api.get(url).content.decode() for url in answers)
    measure_services.measure_update(actor=office, measure=Measure.objects.get(pk=pilot.pk), data={"title": new})
    assert f'<h1 id="measure-title">{new}</h1>' in client.get(page).content.decode()
    for url in answers:
        assert new in api.get(url).content.decode(), url


@pytest.mark.django_db
def test_api_answers_from_the_cache_are_the_answers_ninja_makes(client, berlin, pilot, fragments_on):
    urls = ["/api/v1/measures?limit=5", "/api/v1/measures?limit=5&status=nonsense",
            f"/api/v1/measures/{pilot.slug}", "/api/v1/measures/gibt-es-nicht"]
    for url in urls:
        with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=0):
            plain = client.get(url)
        first, again = client.get(url), client.get(url)
        assert plain.status_code == first.status_code == again.status_code, url
        assert plain.content == first.content == again.content, url
        assert plain["Content-Type"] == again["Content-Type"], url


@pytest.mark.django_db
def test_shared_pages_equal_rendered_pages_for_tasks_and_own_measure(client, berlin, pilot, make_user):
    from kompass.lifecycle.models import TeamMember

    coordinator = make_user("k@example.org", coordinator_of=[pilot.responsible_organisation])
    TeamMember.objects.create(measure=pilot, user=coordinator, role=TeamMember.Role.LEAD)
    client.force_login(coordinator)
    for url in ("/my-tasks/", f"/measures/{pilot.slug}/", "/ideas/?sort=random"):
        with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=0):
            plain = client.get(url)
        cache.clear()
        with override_settings(KOMPASS_FRAGMENT_CACHE_SECONDS=60):
            client.get(url)
            again = client.get(url)
        strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
        assert strip.sub(b"", plain.content) == strip.sub(b"", again.content), url
    cache.clear()
