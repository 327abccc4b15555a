import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from kompass.accounts.models import User
from kompass.participation import services
from kompass.participation.models import Comment, Idea, Support

pytestmark = pytest.mark.django_db


def test_register_verify_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), {
            "email": "Neu@Example.org", "display_name": "Spreewelle", "password": "Ein-langes-Passwort-42",
            "language": "en", "accept": "on"})
    assert response.status_code == 200
    user = User.objects.get(email="neu@example.org")
    assert not user.is_active and user.display_name == "Spreewelle" and user.language == "en"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    assert not client.login(username="neu@example.org", password="Ein-langes-Passwort-42")
    assert client.get(link).status_code == 200  # GET only shows a button (mail scanners must not activate)
    user.refresh_from_db()
    assert not user.is_active
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.login(username="neu@example.org", password="Ein-langes-Passwort-42")


def test_register_rejects_email_as_name(client, citizen):
    response = client.post(reverse("accounts:register"), {
        "email": "citizen@example.org", "display_name": "a@b.de", "password": "Ein-langes-Passwort-42",
        "language": "de", "accept": "on"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"display_name"}  # an existing address is not revealed


def test_forged_verification_token_fails(client):
    assert client.post(reverse("accounts:verify", args=["nonsense"])).status_code == 400


def test_settings_change(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("accounts:settings"), {"display_name": "Neuer Name", "language": "en",
                                                          "email_digest": "daily"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.display_name, citizen.language, citizen.email_digest, citizen.notify_in_app) == (
        "Neuer Name", "en", "daily", False)


def test_download_my_data(client, idea, citizen, make_user):
    services.comment_create(actor=citizen, idea=idea, text="Mein Kommentar")
    other_idea = services.idea_create(actor=make_user("x@example.org"), strategy=idea.strategy, title="o",
                                      text="o")
    services.support_add(actor=citizen, idea=other_idea)
    client.force_login(citizen)
    response = client.get(reverse("accounts:my_data"))
    data = json.loads(response.content)
    assert data["account"]["email"] == "citizen@example.org"
    part = data["participation"]
    assert [i["title"] for i in part["ideas"]] == [idea.title]
    assert [c["text"] for c in part["comments"]] == ["Mein Kommentar"]
    assert [s["idea"] for s in part["supports"]] == [other_idea.pk]


def test_delete_account_anonymises_contributions(client, idea, citizen, make_user):
    comment = services.comment_create(actor=citizen, idea=idea, text="bleibt")
    other_idea = services.idea_create(actor=make_user("x@example.org"), strategy=idea.strategy, title="o",
                                      text="o")
    services.support_add(actor=citizen, idea=other_idea)
    client.force_login(citizen)
    assert client.post(reverse("accounts:delete"), {"password": "wrong"}).status_code == 400
    assert client.post(reverse("accounts:delete"), {"password": "S3cure-pass-word"}).status_code == 302
    assert not User.objects.filter(email="citizen@example.org").exists()
    assert Idea.objects.get(pk=idea.pk).author is None
    assert Comment.objects.get(pk=comment.pk).text == "bleibt"
    other_idea.refresh_from_db()
    assert other_idea.support_count == 1 == Support.objects.filter(idea=other_idea).count()
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert "gelöschtes Konto" in page
