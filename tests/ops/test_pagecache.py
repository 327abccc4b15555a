"""Anonymous page cache: hits, bypasses, and invalidation on every committed write (issue 12)."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from kompass.measures import services as measure_services
from kompass.measures.models import Measure
from kompass.ops import invalidation

pytestmark = pytest.mark.usefixtures("_page_cache_on")


@pytest.fixture
def _page_cache_on():
    cache.clear()
    with override_settings(KOMPASS_PAGE_CACHE_SECONDS=60):
        yield
    cache.clear()


def _get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


@pytest.mark.django_db
def test_second_anonymous_view_is_a_hit_and_identical(client, pilot):
    url = f"/measures/{pilot.slug}/"
    first = _get(client, url)
    second = _get(client, url)
    assert first["X-Kompass-Cache"] == "miss"
    assert second["X-Kompass-Cache"] == "hit"
    assert first.content == second.content
    assert _get(client, "/en" + url)["X-Kompass-Cache"] == "miss"  # another language, another entry
    assert _get(client, url + "?x=1")["X-Kompass-Cache"] == "miss"
    assert _get(client, url, HTTP_HX_REQUEST="true")["X-Kompass-Cache"] == "miss"


@pytest.mark.django_db
def test_a_hit_carries_the_same_headers_as_the_miss(client, pilot):
    """The miss's render read the session, so SessionMiddleware said Vary: Cookie; the hit must say it too (it is
    the same page for a shared cache, and the edge cache stores a hit only with the miss's headers)."""
    for url in (f"/measures/{pilot.slug}/", "/en/measures/", "/values/"):
        miss, hit = _get(client, url), _get(client, url)
        assert (miss["X-Kompass-Cache"], hit["X-Kompass-Cache"]) == ("miss", "hit"), url
        ignored = {"x-kompass-cache", "x-request-id", "date"}
        assert ({k.lower(): v for k, v in hit.items() if k.lower() not in ignored}
                == {k.lower(): v for k, v in miss.items() if k.lower() not in ignored}), url
        assert "Cookie" in hit["Vary"], url


@pytest.mark.django_db
def test_logged_in_visitors_and_forms_with_csrf_are_never_cached(client, make_user):
    _get(client, "/accounts/login/")
    assert "X-Kompass-Cache" not in _get(client, "/accounts/login/")  # per-visitor path, never stored
    _get(client, "/values/")
    assert _get(client, "/values/")["X-Kompass-Cache"] == "hit"
    user = make_user("citizen@example.org")
    client.force_login(user)
    assert "X-Kompass-Cache" not in _get(client, "/values/")  # session cookie: bypass


@pytest.mark.django_db
def test_a_page_that_used_the_csrf_token_is_not_stored():
    from django.http import HttpResponse

    from kompass.ops.pagecache import cacheable_response

    plain = HttpResponse("x")
    assert cacheable_response(plain)
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "abc")
    assert not cacheable_response(with_cookie)
    varies = HttpResponse("x")
    varies["Vary"] = "Accept-Language, Cookie"
    assert not cacheable_response(varies)
    private = HttpResponse("x")
    private["Cache-Control"] = "private, max-age=0"
    assert not cacheable_response(private)
    assert not cacheable_response(HttpResponse("x", status=404))


@pytest.mark.django_db(transaction=True)
def test_changed_measure_is_never_stale_after_its_write_commits(client, berlin_committed, make_user):
    measure = Measure.objects.filter(strategy=berlin_committed).order_by("slug").first()
    office = make_user("office@example.org", office=True)
    urls = [f"/measures/{measure.slug}/", "/measures/?q=Commit", f"/api/v1/measures/{measure.slug}"]
    for url in urls:
        _get(client, url)
        assert _get(client, url)["X-Kompass-Cache"] == "hit"
    measure_services.measure_update(actor=office, measure=measure, data={"title": "Neuer Titel nach dem Commit"})
    for url in urls:
        response = _get(client, url)
        assert "Neuer Titel nach dem Commit" in response.content.decode(), url
        assert response["X-Kompass-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_keeps_the_generation_and_commit_bumps_once(berlin_committed):
    measure = Measure.objects.filter(strategy=berlin_committed).order_by("slug").first()
    before = invalidation.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(title="x")
        measure.title = "Nie gespeichert"
        measure.save(update_fields=["title"])
        raise RuntimeError
    assert invalidation.generation() == before
    with transaction.atomic():
        for i in range(5):
            measure.title = f"Gespeichert {i}"
            measure.save(update_fields=["title"])
    assert invalidation.generation() == before + 1


@pytest.mark.django_db
def test_unreachable_cache_serves_uncached_pages_not_errors(client, monkeypatch):
    from django.core.cache import caches

    def fail(*args, **kwargs):
        raise ConnectionError("redis is restarting")

    for method in ("get", "set", "add", "incr"):
        monkeypatch.setattr(caches["default"], method, fail)
    response = client.get("/values/")
    assert response.status_code == 200
    assert "X-Kompass-Cache" not in response
