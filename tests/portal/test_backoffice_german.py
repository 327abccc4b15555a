"""The back office (Django admin at /backoffice/) in German: our models, fields and actions have German names on
the index, every change list and every add form (Django's own texts come with Django's German catalogue)."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.portal.test_german_pages import catalogue, checkable, english_in, page_text
from tests.portal.test_no_english_words import english_words, internal_codes

pytestmark = pytest.mark.django_db


def _backoffice_pages():
    from django.contrib import admin

    site = admin.site
    pages = [reverse(f"{site.name}:index")]
    for model in site._registry:
        info = (site.name, model._meta.app_label, model._meta.model_name)
        pages += [reverse("{}:{}_{}_changelist".format(*info)), reverse("{}:{}_{}_add".format(*info))]
    return pages


@pytest.mark.xfail(strict=True, reason="open: most model fields have no German verbose_name yet (each needs an "
                   "AlterField migration per model); app names are translated")
def test_backoffice_pages_are_german(client, berlin, make_user):
    admin = make_user("backoffice@example.org", admin=True)
    client.force_login(admin)
    msgids = [m for m, _s in catalogue() if checkable(m)]
    found = {}
    for path in _backoffice_pages():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
        if response.status_code != 200:
            continue  # add forms some models do not offer (403)
        text = page_text(response.content.decode())
        problems = english_in(text, msgids) + english_words(text) + internal_codes(text)
        if problems:
            found[path] = problems
    assert len(_backoffice_pages()) > 5
    if found:
        Path("/tmp/kompass-backoffice-found.txt").write_text("\n".join(f"{k}: {v}" for k, v in found.items()))
    assert not found, found
