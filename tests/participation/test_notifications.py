import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kompass.participation import services

pytestmark = pytest.mark.django_db


def test_weekly_digest_and_one_click_unsubscribe(client, idea, citizen, make_user):
    other = make_user("other@example.org")
    services.comment_create(actor=other, idea=idea, text="Hallo")
    services.comment_create(actor=other, idea=idea, text="Nochmal")
    call_command("participation_digest", "daily")
    assert len(mail.outbox) == 0  # the citizen chose the weekly digest (the default)
    call_command("participation_digest", "weekly", "--base-url", "https://kompass.example")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["citizen@example.org"]
    body = mail.outbox[0].body
    assert body.count("- ") >= 2
    call_command("participation_digest", "weekly")
    assert len(mail.outbox) == 1  # nothing is sent twice
    link = re.search(r"https://kompass.example(\S+)", body.split("\n\n")[-1]).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200  # no login needed
    citizen.refresh_from_db()
    assert citizen.email_digest == "none"
    assert client.post(reverse("participation:unsubscribe", args=["forged"])).status_code == 400


def test_unread_notifications_tag(rf, idea, citizen, make_user):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    services.comment_create(actor=make_user("o@example.org"), idea=idea, text="x")
    tpl = Template("{% load participation %}{% unread_notifications as n %}{{ n }}")
    request = rf.get("/")
    request.user = citizen
    assert tpl.render(Context({"request": request})) == "1"
    request.user = AnonymousUser()
    assert tpl.render(Context({"request": request})) == "0"


def test_unsubscribe_links_expire_and_serve_one_purpose(client, citizen, settings):
    from django.core import signing

    from kompass.accounts.models import User

    token = services.unsubscribe_token(citizen)
    settings.KOMPASS_UNSUBSCRIBE_MAX_AGE = -1  # every link is older than that
    assert client.post(reverse("participation:unsubscribe", args=[token])).status_code == 400
    settings.KOMPASS_UNSUBSCRIBE_MAX_AGE = 3600
    foreign = signing.dumps(citizen.pk, salt="kompass.accounts.verify")  # same person, another purpose
    assert client.post(reverse("participation:unsubscribe", args=[foreign])).status_code == 400
    assert User.objects.get(pk=citizen.pk).email_digest == "weekly"
    assert client.post(reverse("participation:unsubscribe", args=[token])).status_code == 200
    assert User.objects.get(pk=citizen.pk).email_digest == "none"


def test_digests_are_sent_by_a_named_system_job(idea, citizen, make_user):
    from kompass.audit.models import AuditEvent

    services.comment_create(actor=make_user("other@example.org"), idea=idea, text="Hallo")
    call_command("participation_digest", "weekly")
    event = AuditEvent.objects.get(action="notification.digest_sent")
    assert (event.actor, event.actor_label) == (None, "system:participation digest")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.digest_send(actor=citizen, period="weekly")


def test_unsubscribe_links_last_90_days_by_default(settings):
    from kompass.participation.services.notifications import unsubscribe_max_age

    assert unsubscribe_max_age() == 90 * 24 * 3600
    settings.KOMPASS_UNSUBSCRIBE_MAX_AGE = 60
    assert unsubscribe_max_age() == 60


def test_the_digest_service_links_to_the_site_url_by_default(idea, citizen, make_user, settings):
    """Called without a base URL (e.g. from a task), the digest's links start with KOMPASS_SITE_URL."""
    from kompass.core.actors import system_actor

    settings.KOMPASS_SITE_URL = "https://kompass.example.org/"
    services.comment_create(actor=make_user("other@example.org"), idea=idea, text="Hallo")
    assert services.digest_send(actor=system_actor("participation digest"), period="weekly") == 1
    links = re.findall(r"\S+/(?:ideas|unsubscribe)/\S*", mail.outbox[-1].body)
    assert links and all(link.startswith("https://kompass.example.org/") for link in links), links
    assert "//ideas" not in mail.outbox[-1].body and "127.0.0.1" not in mail.outbox[-1].body
