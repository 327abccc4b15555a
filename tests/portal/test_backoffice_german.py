"""The back office (Django admin at /backoffice/) in German: our models, fields and actions have German names on
the index, every change list and every add form (Django's own texts come with Django's German catalogue).

Convention (CONTEXT.md, ADR 0080): every model the back office shows, with its inlines, has an English verbose
name with a German translation for itself, each field, each choice, each help text and each fieldset title."""

from pathlib import Path

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation

from tests.portal.test_german_pages import SAME_IN_GERMAN, catalogue, checkable, english_in, page_text
from tests.portal.test_no_english_words import english_words, internal_codes

pytestmark = pytest.mark.django_db

# Words a field name turns into when it has no verbose name of its own ("Short name", "Valid until", …), and the
# English of the task queue and login throttling packages: none of them is a German word.
BACKOFFICE_WORDS = frozenset("""
abbreviation adopted author body categories count current database enqueued feasibility first group groups
harvest harvested kind last latitude licence longitude lottery members official panel panels priority publisher
purpose queue quotas reason record records register reporter resolution resolved retention role seed seen settings
short size slug stage statement strategy summary support tags task tasks until valid weight withdrawn by
""".split())


def backoffice_words(text: str) -> list[str]:
    import re

    words = re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", text)
    return sorted({w for w in words if w.lower() in BACKOFFICE_WORDS})


def _site():
    from django.contrib import admin

    return admin.site


def _backoffice_pages():
    site = _site()
    pages = [reverse(f"{site.name}:index")]
    for model in site._registry:
        info = (site.name, model._meta.app_label, model._meta.model_name)
        pages += [reverse("{}:{}_{}_changelist".format(*info)), reverse("{}:{}_{}_add".format(*info))]
    return pages


def test_backoffice_pages_are_german(client, berlin, make_user):
    admin = make_user("backoffice@example.org", admin=True)
    client.force_login(admin)
    msgids = [m for m, _s in catalogue() if checkable(m)]
    found, shown = {}, 0
    for path in _backoffice_pages():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
        if response.status_code == 403:
            continue  # add forms some models do not offer
        assert response.status_code == 200, path
        shown += 1
        text = page_text(response.content.decode())
        problems = english_in(text, msgids) + english_words(text) + backoffice_words(text) + internal_codes(text)
        if problems:
            found[path] = problems
    assert shown > 30  # the index, every change list and the add forms that exist
    if found:
        Path("/tmp/kompass-backoffice-found.txt").write_text("\n".join(f"{k}: {v}" for k, v in found.items()))
    assert not found, found


def test_backoffice_frame_is_german_and_names_the_strategy(client, berlin, make_user):
    client.force_login(make_user("backoffice@example.org", admin=True))
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<title>Daten der Strategie | Kompass-Backoffice</title>" in html
    assert 'class="kern-kopfzeile__label">Gemeinsam Digital: Berlin<' in html
    assert "Django" not in page_text(html)
    client.logout()
    login = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="de")
    text = page_text(login.content.decode())
    assert "vendor/kern/kern.min.css" in login.content.decode()
    assert "default-src 'self'" in login["Content-Security-Policy"]
    assert "Anmelden" in text and english_words(text) + backoffice_words(text) == [], text


# Read the same in German: language names in their own language, role titles Berlin uses as they are, and the
# names of progress methods after the statistics offices that publish them.
SAME_IN_BACKOFFICE = SAME_IN_GERMAN | {"Deutsch", "Chief Digital Officer", "Eurostat", "Open SDG (Statistics Canada)"}


def _german(text) -> str:
    with translation.override("de"):
        return str(text)


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


def _untranslated(label: str, text) -> list[str]:
    """`text` (a lazy translation) has a German translation: it reads differently in German than in English."""
    if text is None or _english(text) == "":
        return []
    english, german = _english(text), _german(text)
    return [] if german != english or english in SAME_IN_BACKOFFICE else [f"{label}: {english!r}"]


def field_problems(model, field) -> list[str]:
    label = f"{model._meta.label}.{field.name}"
    problems = _untranslated(label, field.verbose_name) + _untranslated(f"{label} (help)", field.help_text)
    for value, choice in field.flatchoices if field.choices else []:
        problems += _untranslated(f"{label} = {value!r}", choice)
    return problems


def model_problems(model) -> list[str]:
    opts = model._meta
    problems = _untranslated(opts.label, opts.verbose_name) + _untranslated(opts.label, opts.verbose_name_plural)
    for field in opts.get_fields():
        if field.concrete and not field.auto_created and not (field.primary_key and field.name == "id"):
            problems += field_problems(model, field)
    return problems


def _shown_models():
    """Every model with a back-office page, and the models of their inline forms."""
    site = _site()
    shown = {}
    for model, model_admin in site._registry.items():
        shown[model] = model_admin
        for inline in model_admin.inlines:
            shown.setdefault(inline.model, None)
    return shown


def test_every_model_and_field_in_the_backoffice_has_a_german_name():
    problems = []
    for model, model_admin in _shown_models().items():
        problems += model_problems(model)
        for title, _options in getattr(model_admin, "fieldsets", None) or []:
            if title:
                problems += _untranslated(f"{model._meta.label} fieldset", title)
        for name in getattr(model_admin, "list_display", ()):
            description = getattr(getattr(model_admin, name, None), "short_description", None)
            problems += _untranslated(f"{model._meta.label} column {name}", description)
    assert len(_shown_models()) > 25
    assert problems == [], problems


def test_the_name_check_finds_a_field_without_a_german_name():
    """Guards the test above: a field named only by its attribute, or with an untranslated choice, is reported."""
    from kompass.measures.models import Measure

    bare = models.CharField(max_length=3, choices=[("x", "some code")])
    bare.set_attributes_from_name("short_code")
    assert field_problems(Measure, bare) == ["measures.Measure.short_code: 'short code'",
                                             "measures.Measure.short_code = 'x': 'some code'"]
    assert field_problems(Measure, Measure._meta.get_field("status")) == []
    assert backoffice_words(page_text("<th>Short name</th><td>Kurzname</td>")) == ["Short"]
    assert not BACKOFFICE_WORDS & {"name", "status", "text", "version", "position", "code", "hash"}


def test_every_kompass_model_and_field_has_a_german_name():
    """All models, shown in the back office or not: their names reach forms, errors and exports too."""
    from django.apps import apps

    problems = []
    for model in apps.get_models():
        if model.__module__.startswith("kompass."):
            problems += model_problems(model)
    assert problems == [], problems


def test_an_object_name_built_in_code_is_german_too():
    """The back office shows `str(obj)` in its lists and messages: the lottery's personal data read in German."""
    from kompass.lottery.models import PersonalData

    assert _german(PersonalData(pk=7)) == "personenbezogene Daten #7"
    assert _english(PersonalData(pk=7)) == "personal data #7"
