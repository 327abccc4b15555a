"""Legal pages from the strategy data: Impressum, privacy policy generated from the data model, accessibility
statement with a feedback contact, linked from every footer; the theme colour as a stylesheet."""

import pytest
from django.apps import apps

from kompass.portal.legal import DATA_CATEGORIES, FIELD_LABELS, data_categories

pytestmark = pytest.mark.django_db

LEGAL = {"publisher": "Stadt Musterhausen", "address": "Rathausplatz 1\n12345 Musterhausen",
         "email": "kontakt@example.org", "accessibility_contact_email": "barrieren@example.org",
         "accessibility_status": "full", "accessibility_evaluated_on": "2026-11-30",
         "enforcement_body": "Schlichtungsstelle BGG"}


@pytest.fixture
def legal(berlin):
    berlin.legal = LEGAL
    berlin.save()
    return berlin


@pytest.mark.parametrize("path", ["/", "/measures/", "/impressum/", "/datenschutz/", "/barrierefreiheit/",
                                  "/does-not-exist/"])
def test_every_footer_links_the_legal_pages(client, berlin, path):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="site-footer">'):]
    for href in ('href="/impressum/"', 'href="/datenschutz/"', 'href="/barrierefreiheit/"'):
        assert href in footer, (path, href)


def test_imprint_shows_the_strategy_facts_and_marks_missing_ones(client, legal):
    html = client.get("/impressum/").content.decode()
    assert "Stadt Musterhausen" in html and "Rathausplatz 1<br>12345 Musterhausen" in html
    assert "kontakt@example.org" in html
    assert "Von der Betreiberin noch nicht angegeben." in html  # represented_by was not given


def test_accessibility_statement_has_status_feedback_contact_and_german_date(client, legal):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "vollständig vereinbar" in html
    assert 'href="mailto:barrieren@example.org?subject=' in html
    assert "30. November 2026" in html and "Schlichtungsstelle BGG" in html


def test_accessibility_statement_falls_back_to_the_general_address(client, berlin):
    berlin.legal = {"email": "kontakt@example.org"}
    berlin.save()
    html = client.get("/barrierefreiheit/").content.decode()
    assert 'href="mailto:kontakt@example.org?subject=' in html
    assert "teilweise vereinbar" in html  # the default status


def test_privacy_policy_lists_the_stored_data_categories(client, berlin):
    html = client.get("/datenschutz/").content.decode()
    for title in ("Benutzerkonto", "Fehlgeschlagene Anmeldungen", "Ideen und Kommentare",
                  "Stadtgremium: Einladung und Anmeldung", "Änderungsprotokoll"):
        assert title in html
    assert "E-Mail-Adresse, Anzeigename" in html


def test_every_claimed_field_exists_on_its_model():
    """The privacy policy names only what the platform stores: every listed field is a real model field."""
    for category in DATA_CATEGORIES:
        model = apps.get_model(category.model)
        for name in category.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist if the policy drifted from the schema
            assert name in FIELD_LABELS


def test_a_removed_field_or_model_is_not_claimed(monkeypatch):
    from kompass.portal import legal
    from kompass.portal.legal import DataCategory

    monkeypatch.setattr(legal, "DATA_CATEGORIES", (
        DataCategory("Konto", "accounts.User", ("email", "shoe_size"), "p", "b", "r"),
        DataCategory("Weg", "nowhere.Gone", ("email",), "p", "b", "r")))
    monkeypatch.setitem(legal.FIELD_LABELS, "shoe_size", "Schuhgröße")
    result = data_categories()
    assert [item["category"].title for item in result] == ["Konto"]
    assert result[0]["fields"] == ["E-Mail-Adresse"]


def test_theme_colour_is_served_as_css_and_refused_when_malformed(client, berlin):
    berlin.theme_colour = "#1d5e3a"
    berlin.save()
    css = client.get("/theme.css")
    assert css["Content-Type"].startswith("text/css")
    assert "--kompass-brand: #1d5e3a" in css.content.decode()
    berlin.theme_colour = "red;}a{"  # fits the column, still not a colour
    berlin.save()
    assert "--kompass-brand" not in client.get("/theme.css").content.decode()


def test_strategy_file_legal_block_is_loaded_and_validated(berlin):
    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(slug="berlin-gdb")
    assert strategy.legal["publisher"].startswith("Land Berlin")
    assert strategy.legal["accessibility_contact_email"].endswith("@example.org")


def test_strategy_file_refuses_unknown_legal_keys_and_bad_colours():
    from kompass.strategy.loader import read_document, validate_document
    from tests.conftest import BERLIN

    document = read_document(BERLIN)
    assert validate_document(document, BERLIN.parent) == []
    document["strategy"]["legal"]["shoe_size"] = "44"
    document["strategy"]["theme_colour"] = "blue"
    problems = " ".join(str(p) for p in validate_document(document, BERLIN.parent))
    assert "shoe_size" in problems and "blue" in problems
