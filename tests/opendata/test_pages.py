"""Open-data pages without a browser: German texts, empty states, the API reference from the schema."""

import pytest

pytestmark = pytest.mark.django_db


def test_lessons_library_explains_its_empty_state_in_german(client, berlin):
    html = client.get("/lessons/other-cities/").content.decode()
    assert "Lessons Learned aus anderen Städten" in html and "Kompass folgt noch keiner anderen Stadt" in html


def test_lessons_library_survives_odd_input(client, berlin):
    for params in ({"source": "abc"}, {"page": "999999999999"}, {"q": "ä" * 5000}):
        assert client.get("/lessons/other-cities/", params).status_code == 200
    assert client.get("/lessons/other-cities/", {"q": "x\x00y"}).status_code == 400  # NUL: the input sanity check


def test_api_reference_lists_every_operation_of_the_schema(client, berlin):
    schema = client.get("/api/v1/openapi.json").json()
    html = client.get("/data/api/").content.decode()
    assert "API-Referenz" in html
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html


def test_measure_page_without_followed_cities_has_no_section(client, pilot):
    html = client.get(f"/measures/{pilot.slug}/").content.decode()
    assert "Ähnliche Maßnahmen in anderen Städten" not in html
