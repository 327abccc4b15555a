"""The shipped datasets: Berlin's GD:B covers the whole framework; the fictional city proves genericity."""

import pytest
from django.urls import reverse
from django.utils import translation

from kompass.measures.models import Measure
from kompass.strategy.models import Strategy
from kompass.strategy.services import STRATEGY_LOADER, strategy_load
from tests.conftest import EXAMPLE_CITY

pytestmark = pytest.mark.django_db


def test_berlin_framework_is_complete(berlin):
    assert berlin.is_current
    assert berlin.values.count() == 4
    assert berlin.perspectives.filter(kind="spatial").count() == 4
    assert berlin.perspectives.filter(kind="capability").count() == 3
    assert berlin.clusters.count() == 4
    assert all(c.action_fields.count() == 4 for c in berlin.clusters.all())
    assert berlin.districts.filter(kind="district").count() == 12
    assert berlin.districts.filter(kind="citywide").count() == 1
    assert berlin.organisations.filter(kind="senate_chancellery").count() == 1
    assert berlin.organisations.filter(kind="senate_department").count() == 10
    assert berlin.organisations.filter(kind="district_office").count() == 12


def test_berlin_measures_cover_every_district_field_value_and_type(berlin):
    measures = berlin.measures
    assert measures.filter(is_pilot=True, is_example=False).count() == 5
    assert measures.filter(is_example=True).count() >= 25
    for district in berlin.districts.all():
        assert district.measures.exists(), district
    for field in berlin.action_fields.all():
        assert field.measures.exists(), field
    for value in berlin.values.all():
        assert value.measure_links.exists(), value
    for kind, _label in Measure.Type.choices:
        assert measures.filter(measure_type=kind).exists(), kind
    for status, _label in Measure.Status.choices:
        assert measures.filter(status=status).exists(), status


def test_every_berlin_measure_has_german_and_english_texts(berlin):
    for m in berlin.measures.all():
        assert m.title and m.title_en and m.summary and m.summary_en, m.slug


def test_fictional_city_runs_on_the_same_code(client):
    report = strategy_load(actor=STRATEGY_LOADER, path=EXAMPLE_CITY)
    Strategy.objects.filter(is_current=True).update(is_current=False)
    Strategy.objects.filter(slug=report.strategy).update(is_current=True)
    city = Strategy.objects.get(slug=report.strategy)
    with translation.override("de"):
        urls = ["/", reverse("portal:values"), reverse("measures:catalogue"), reverse("portal:districts"),
                reverse("portal:action_fields"), reverse("measures:measure", args=[city.measures.first().slug])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Berlin" not in html, url
        if url == "/":
            assert city.name in html
    # No map data: the districts page falls back to the list.
    html = client.get(urls[3]).content.decode()
    assert "<svg" not in html and city.districts.first().name in html
    api = client.get("/api/v1/strategy").json()
    assert api["slug"] == city.slug
