"""A visitor registers, submits an idea; another person supports and comments; the moderator hides the comment.
Then axe-core checks the participation pages."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, site, email, password="S3cure-pass-word"):
    page.goto(site + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()


def _logout(page):
    page.context.clear_cookies()


def test_register_submit_support_comment_moderate(site, page, settings):
    from django.core import mail

    from kompass.accounts.models import User
    from kompass.participation.models import Comment, Idea

    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {a: (1000, 60) for a in ("idea", "comment", "support")}
    page.goto(site + "/accounts/register/")
    page.fill("#id_email", "neu@example.org")
    page.fill("#id_display_name", "Spreewelle")
    page.fill("#id_password", "Ein-langes-Passwort-42")
    page.check("#id_accept")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main button[type=submit]").click()
    _login(page, site, "neu@example.org", "Ein-langes-Passwort-42")

    page.goto(site + "/ideas/new/")
    page.fill("#id_title", "Sitzbänke mit WLAN")
    page.fill("#id_text", "Öffentliche Bänke mit freiem Netz.")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Sitzbänke mit WLAN")
    idea = Idea.objects.get(title="Sitzbänke mit WLAN")
    assert idea.author.email == "neu@example.org"

    _logout(page)
    User.objects.create_user(email="zweite@example.org", password="S3cure-pass-word", display_name="Zweite")
    _login(page, site, "zweite@example.org")
    page.goto(site + f"/ideas/{idea.pk}/")
    page.locator("#support-heading ~ form button").first.click()
    expect(page.locator(".messages")).to_be_visible()
    page.fill("#comment-text", "Unpassender Kommentar")
    page.locator("#comment-text").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Unpassender Kommentar")
    idea.refresh_from_db()
    assert idea.support_count == 1

    _logout(page)
    User.objects.create_user(email="mod@example.org", password="S3cure-pass-word", is_moderator=True)
    _login(page, site, "mod@example.org")
    comment = Comment.objects.get(text="Unpassender Kommentar")
    page.goto(site + f"/ideas/{idea.pk}/")
    page.locator(f"#comment-{comment.pk} summary", has_text=re.compile("Ausblenden|Hide")).click()
    page.fill(f"#hide-c{comment.pk}", "Verstößt gegen die Regeln")
    page.locator(f"#hide-c{comment.pk}").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Verstößt gegen die Regeln")
    comment.refresh_from_db()
    assert comment.is_hidden


def test_participation_pages_have_no_axe_violations(site, page, axe):
    from django.utils import timezone

    from kompass.accounts.models import User
    from kompass.participation import services
    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(slug="berlin-gdb")
    author = User.objects.create_user(email="a@example.org", password="S3cure-pass-word", display_name="A")
    office = User.objects.create_user(email="o@example.org", password="S3cure-pass-word", is_strategy_office=True)
    idea = services.idea_create(actor=author, strategy=strategy, title="Idee", text="Text",
                                action_fields=list(strategy.action_fields.all()[:1]))
    services.comment_create(actor=author, idea=idea, text="Kommentar")
    now = timezone.now()
    services.consultation_create(actor=office, strategy=strategy, slug="entwurf", title="Entwurf",
                                 opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                                 chapters=services.parse_draft("# Kapitel\nAbsatz eins.\n\nAbsatz zwei."))
    services.consultation_create(actor=office, strategy=strategy, slug="meinungen", title="Meinungen",
                                 kind="statements", opens_at=now - timedelta(days=1),
                                 closes_at=now + timedelta(days=1), statements=["A", "B"])
    paths = ["/ideas/", "/ideas/?sort=random", f"/ideas/{idea.pk}/", "/participation/guidelines/",
             "/consultations/", "/consultations/entwurf/", "/consultations/meinungen/",
             "/consultations/meinungen/map/", "/accounts/register/", "/en/ideas/"]
    failures = {}
    for path in paths:
        page.goto(site + path)
        violations = axe(page)
        if violations:
            failures[path] = violations
    _login(page, site, "a@example.org")
    for path in ["/ideas/new/", f"/ideas/{idea.pk}/", "/notifications/", "/accounts/settings/",
                 "/consultations/entwurf/", "/consultations/meinungen/"]:
        page.goto(site + path)
        violations = axe(page)
        if violations:
            failures[path] = violations
    assert not failures, failures
