"""axe-core (WCAG 2.1 A and AA rules) reports no violation on any public page type, in German and English."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def page_paths(berlin_slug_of_pilot: str, org: str, example: str) -> list[str]:
    return [
        "/", "/values/", "/perspectives/", "/principles/", "/action-fields/", "/measures/",
        "/measures/?district=mitte&status=running", "/measures/?q=xylophonquartett", "/measures/?district=atlantis",
        f"/measures/{berlin_slug_of_pilot}/", f"/measures/{berlin_slug_of_pilot}/?sprache=leicht",
        f"/measures/{example}/", "/organisations/", f"/organisations/{org}/", "/districts/", "/districts/mitte/",
        "/data/", "/does-not-exist/", "/accounts/login/", "/accounts/password-reset/",
        "/en/", "/en/measures/", f"/en/measures/{berlin_slug_of_pilot}/", "/en/districts/",
    ]


def test_every_public_page_type_has_no_axe_violations(site, page, axe):
    from kompass.measures.models import Measure

    pilot = Measure.objects.filter(is_pilot=True).order_by("slug").first()
    example = Measure.objects.filter(is_example=True).order_by("slug").first()
    failures = {}
    for path in page_paths(pilot.slug, pilot.responsible_organisation.slug, example.slug):
        page.goto(site + path)
        violations = axe(page)
        if violations:
            failures[path] = violations
    assert not failures, failures


def test_the_axe_harness_does_report_violations(page, axe):
    """Guards the test above: a page with known faults must produce violations."""
    page.set_content('<html><body><img src="data:,"><a href="#"></a><input type="text"></body></html>')
    ids = {v["id"] for v in axe(page)}
    assert {"image-alt", "link-name", "label"} <= ids
