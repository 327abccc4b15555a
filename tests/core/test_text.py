"""German slugs and umlaut-folding, stemming search on every database (core.text, ADR 0078)."""

import pytest
from django.urls import reverse

from kompass.core.text import fold, german_slug, search_terms, stem


def test_slugs_transliterate_german():
    assert german_slug("Straßenbäume in Köpenick – Über 100 Öfen") == "strassenbaeume-in-koepenick-ueber-100-oefen"
    assert german_slug("ÄRGER") == "aerger"
    assert german_slug("!!!", fallback="massnahme") == "massnahme"
    assert len(german_slug("ä" * 200)) == 100


def test_fold_and_stems():
    assert fold("Bürger Straße ÖFFNUNG") == "buerger strasse oeffnung"
    assert stem("kieze") == stem("kiez") == "kiez"
    assert stem("buergern") == stem("buerger") == "buerg"
    assert stem("daten") == "daten"  # a stem shorter than four letters keeps the word
    assert search_terms("Bürger") == search_terms("buerger") == ["buerg"]
    assert search_terms('"Kieze" OR und - Bänke') == ["kiez", "baenk"]


def _slugs(response):
    return {m.slug for m in response.context["page"].object_list}


@pytest.mark.django_db
def test_catalogue_search_folds_umlauts_and_stems(client, berlin):
    url = reverse("measures:catalogue")
    buerger = _slugs(client.get(url, {"q": "Bürger"}))
    assert buerger and _slugs(client.get(url, {"q": "buerger"})) == buerger
    kiez = _slugs(client.get(url, {"q": "Kiez"}))
    assert kiez and _slugs(client.get(url, {"q": "Kieze"})) == kiez
    api = client.get("/api/v1/measures", {"q": "buerger", "limit": 100}).json()
    assert {m["slug"] for m in api["items"]} == buerger


@pytest.mark.django_db
def test_idea_and_lesson_search_fold_umlauts_and_stem(client, berlin, make_user):
    from kompass.lifecycle import services as lifecycle
    from kompass.participation import services as participation

    citizen = make_user("kiez@example.org")
    participation.idea_create(actor=citizen, strategy=berlin, title="Mehr Bänke im Kiez", text="Für Bürger.",
                              action_fields=list(berlin.action_fields.all()[:1]), districts=[])
    ideas = reverse("participation:ideas")
    for q in ("Kieze", "baenke", "BÜRGERN"):
        assert [i.title for i in client.get(ideas, {"q": q}).context["ideas"]] == ["Mehr Bänke im Kiez"], q
    assert list(client.get(ideas, {"q": "Kiezbox"}).context["ideas"]) == []
    assert [i["title"] for i in client.get("/api/v1/ideas", {"q": "buerger"}).json()["items"]] == ["Mehr Bänke im Kiez"]

    admin = make_user("office-text@example.org", admin=True)
    measure = berlin.measures.order_by("slug").first()
    lifecycle.lesson_create(actor=admin, measure=measure, title="Früh mit Bürgerinnen sprechen",
                            what_worked="Werkstätten", what_did_not="-", recommendation="-")
    lessons = reverse("lifecycle:lessons")
    for q in ("buergerinnen", "Bürger", "werkstaetten", "Werkstätte"):
        assert client.get(lessons, {"q": q}).context["page"].paginator.count == 1, q


@pytest.mark.django_db
def test_a_failed_job_says_why_in_german_without_the_exception_class(make_user, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from kompass.jobs.services import failure_message

    assert failure_message(RuntimeError("disk full")) == (
        "Die Aufgabe wurde wegen eines Fehlers abgebrochen (disk full). Sie können sie erneut starten.")
    assert failure_message(ValidationError("Die Datei ist leer.")) == "Die Datei ist leer."


def test_opinion_map_messages_are_german():
    from kompass.participation.tasks import opinion_message

    assert opinion_message("too few participants to form groups (2)") == (
        "Noch haben zu wenige Personen über genug Aussagen abgestimmt, um Gruppen zu bilden (bisher 2).")
    assert opinion_message("no distinct groups found") == "Es wurden keine deutlich verschiedenen Gruppen gefunden."
    assert opinion_message("") == ""
