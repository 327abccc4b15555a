"""Registration shows the community guidelines and the password rules before anything is submitted."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_registration_shows_guidelines_and_password_rules_before_submitting(client):
    body = client.get(reverse("accounts:register"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    form_at = body.index("<form")
    assert "Kritisieren Sie Ideen, nicht Menschen." in body[:form_at]
    password_at = body.index('id="id_password"')
    hint = body[body.index('id="id_password-hint"'):password_at]
    assert "mindestens 10 Zeichen" in hint
    assert "nicht komplett aus Ziffern" in hint and "nicht allgemein üblich" in hint
    assert "aria-describedby" in body[password_at - 400:password_at + 400]
