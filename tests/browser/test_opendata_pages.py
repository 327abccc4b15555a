"""Open-data pages in the browser: axe-core finds no violation on the catalogue page, the API reference, the
cross-city lessons library and a measure page with similar measures of another city (phone and desktop)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def federated(site):
    from kompass.core.actors import system_actor
    from kompass.measures.models import Measure
    from kompass.opendata import services
    from kompass.opendata.models import HarvestedRecord

    source = services.source_follow(actor=system_actor("test"), name="Neustadt", url="http://127.0.0.1:9/")
    measure = Measure.objects.filter(strategy__slug="berlin-gdb").order_by("slug").first()
    HarvestedRecord.objects.create(source=source, kind="measure", remote_id="m1", url="http://127.0.0.1:9/m1/",
                                   title=f"{measure.title} in Neustadt", summary=measure.summary, content_hash="h",
                                   licence_id="cc-by/4.0", licence_title="CC BY 4.0",
                                   licence_url="https://creativecommons.org/licenses/by/4.0/",
                                   changed_at="2025-01-01T00:00:00Z")
    HarvestedRecord.objects.create(source=source, kind="lesson", remote_id="l1", url="http://127.0.0.1:9/m1/",
                                   title="Früh testen", summary="Mit echten Nutzenden testen.",
                                   body="Workshops halfen.\n\nZu späte Tests.", parent_url="http://127.0.0.1:9/m1/",
                                   parent_title="Maßnahme", content_hash="h2", changed_at="2025-01-01T00:00:00Z")
    return site, measure


@pytest.mark.parametrize("width", [375, 1280])
def test_open_data_pages_have_no_axe_violations(federated, page, axe, width):
    site, measure = federated
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in ["/catalog", "/data/api/", "/lessons/other-cities/", f"/measures/{measure.slug}/",
                 "/en/lessons/other-cities/"]:
        response = page.goto(site + path)
        assert response.status == 200, path
        violations = axe(page)
        if violations:
            failures[path] = violations
    assert not failures, failures
    page.goto(site + f"/measures/{measure.slug}/")
    assert page.get_by_role("heading", name="Ähnliche Maßnahmen in anderen Städten").is_visible()
