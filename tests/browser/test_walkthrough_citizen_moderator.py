"""Walk-throughs (issue 13), German UI, at phone (390 px) and desktop (1280 px) width, doing what these people do.

Citizen: registers, tries to log in before confirming (told so, resends the link), confirms, logs in, posts an idea
with a place, sees it on the idea's map, cannot support it, supports and comments on someone else's idea, replies to
a comment, finds the idea on the Arena's map. Moderator: follows a report to the comment in its thread, hides it,
blocks the author from the account list, sees the block on the profile, and unblocks."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "Ein-langes-Passwort-42"


@pytest.fixture
def people(settings):
    from kompass.accounts.models import User
    from kompass.participation import services
    from kompass.strategy.models import Strategy

    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {a: (1000, 60) for a in ("idea", "comment", "support")}
    strategy = Strategy.objects.get(slug="berlin-gdb")
    other = User.objects.create_user(email="nachbarin@example.org", password=PASSWORD, display_name="Nachbarin")
    idea = services.idea_create(actor=other, strategy=strategy, title="Trinkbrunnen am Markt",
                                text="Ein Trinkbrunnen für heiße Tage.", latitude=52.52, longitude=13.41)
    comment = services.comment_create(actor=other, idea=idea, text="Wer hilft beim Antrag?")
    return {"strategy": strategy, "other": other, "idea": idea, "comment": comment}


def _context(browser, size):
    context = browser.new_context(bypass_csp=True, locale="de-DE", viewport=WIDTHS[size])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def _login(page, site, email, password=PASSWORD):
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _fits(page):
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("size", list(WIDTHS))
def test_citizen_walk_through(site, browser, people, size):
    from django.core import mail

    from kompass.participation.models import Comment, Idea, Notification, Support

    email = f"neu-{size}@example.org"
    context, page, errors = _context(browser, size)
    # Register.
    page.goto(site + "/accounts/register/")
    page.fill("#id_email", email)
    page.fill("#id_display_name", f"Spreewelle {size}")
    page.fill("#id_password", PASSWORD)
    page.check("#id_accept")
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Bitte prüfen Sie Ihre E-Mails")
    assert len(mail.outbox) == 1
    # Log in before confirming: told so, and a new link on request.
    _login(page, site, email)
    expect(page.locator("main")).to_contain_text("noch nicht bestätigt")
    page.locator("main").get_by_role("button", name="Bestätigungslink noch einmal senden", exact=True).click()
    expect(page.locator("main")).to_contain_text("neuen Link")
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == [email]
    # Confirm with the new link, log in.
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main").get_by_role("button", name="Mein Konto bestätigen", exact=True).click()
    _login(page, site, email)
    assert "/accounts/login/" not in page.url
    # Post an idea with a place.
    page.goto(site + "/ideas/new/")
    page.fill("#id_title", "Bänke am Spreeufer")
    page.fill("#id_text", "Mehr Sitzbänke mit Blick aufs Wasser.")
    page.locator("input[name='kind']").first.check()
    page.fill("#id_latitude", "52.5163")
    page.fill("#id_longitude", "13.3777")
    page.locator("main").get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Bänke am Spreeufer")
    mine = Idea.objects.get(title="Bänke am Spreeufer")
    assert mine.latitude == pytest.approx(52.5163)
    expect(page.locator(".idea-map .idea-marker")).to_have_count(1)
    _fits(page)
    # Cannot support the own idea.
    expect(page.locator("main").get_by_role("button", name="Diese Idee unterstützen", exact=True)).to_have_count(0)
    expect(page.locator("#support-heading ~ .own-idea")).to_contain_text("Sie selbst nicht")
    # Support someone else's idea, comment, reply.
    idea = people["idea"]
    page.goto(site + f"/ideas/{idea.pk}/")
    page.locator("main").get_by_role("button", name="Diese Idee unterstützen", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Dank")
    assert Support.objects.filter(idea=idea, user__email=email).exists()
    page.fill("#comment-text", "Gute Idee, ich bin dafür.")
    page.locator("main").get_by_role("button", name="Kommentar veröffentlichen", exact=True).click()
    expect(page.locator("main")).to_contain_text("Gute Idee, ich bin dafür.")
    parent = people["comment"]
    page.locator(f"#comment-{parent.pk} ~ details.reply summary").click()
    page.fill(f"#reply-{parent.pk}", "Ich helfe gern beim Antrag.")
    page.locator(f"#reply-{parent.pk}").locator("xpath=ancestor::form").get_by_role("button", name="Antworten").click()
    expect(page.locator("main")).to_contain_text("Ich helfe gern beim Antrag.")
    reply = Comment.objects.get(text="Ich helfe gern beim Antrag.")
    assert reply.parent_id == parent.pk
    note = Notification.objects.get(user=people["other"], url__endswith=f"#comment-{reply.pk}")
    assert "Antwort" in note.text
    expect(page.locator("#comments-heading")).to_contain_text("3 Kommentare")  # replies count
    # The Arena as a map: both ideas are dots; a dot leads to its idea.
    page.goto(site + "/ideas/")
    page.locator("main").get_by_role("link", name="Ideen auf einer Karte zeigen").click()
    expect(page.locator("h1")).to_have_text("Arena der Ideen: Karte")
    expect(page.locator(".idea-map a")).to_have_count(2)
    _fits(page)
    page.locator(f'.idea-map a[href="/ideas/{mine.pk}/"]').click()
    expect(page.locator("h1")).to_have_text("Bänke am Spreeufer")
    context.close()
    assert not errors, errors


@pytest.mark.parametrize("size", list(WIDTHS))
def test_moderator_walk_through(site, browser, people, size):
    from kompass.accounts.models import User
    from kompass.participation import services
    from kompass.participation.models import Comment

    rude = User.objects.create_user(email="laut@example.org", password=PASSWORD, display_name="Krawallo")
    bad = services.comment_create(actor=rude, parent=people["comment"], text="Ihr seid alle doof.")
    services.report_create(actor=people["other"], target=bad, reason="Beleidigung")
    User.objects.create_user(email="mod@example.org", password=PASSWORD, display_name="Moderation",
                             is_moderator=True)
    context, page, errors = _context(browser, size)
    _login(page, site, "mod@example.org")
    page.goto(site + "/moderation/")
    expect(page.locator("main")).to_contain_text("Beleidigung")
    _fits(page)
    # The report links to the comment in its thread.
    page.locator("main").get_by_role("link", name=re.compile("Ihr seid alle doof")).click()
    assert page.url.endswith(f"#comment-{bad.pk}")
    expect(page.locator(f"#comment-{bad.pk}")).to_be_visible()
    page.go_back()
    # Hide it with a public reason.
    page.fill("input[id^='hide-r']", "Beleidigung anderer Teilnehmender")
    page.locator("main").get_by_role("button", name="Ausblenden", exact=True).click()
    bad.refresh_from_db()
    assert bad.is_hidden
    expect(page.locator("main")).to_contain_text("Keine offenen Meldungen")
    # Block the author from the account list, not from a report.
    page.locator("main").get_by_role("link", name="Alle Konten: suchen, sperren und entsperren").click()
    page.fill("#users-q", "Krawallo")
    page.locator("main").get_by_role("button", name="Suchen", exact=True).click()
    page.locator("main").get_by_role("link", name="Krawallo", exact=True).click()
    expect(page.locator("h1")).to_have_text("Krawallo")
    page.fill(f"#block-u{rude.pk}", "Wiederholte Beleidigungen")
    page.locator("main").get_by_role("button", name="Konto sperren", exact=True).click()
    expect(page.locator("main")).to_contain_text("Wiederholte Beleidigungen")
    rude.refresh_from_db()
    assert rude.is_blocked and rude.blocked_reason == "Wiederholte Beleidigungen"
    _fits(page)
    # The blocked person is told why when logging in.
    blocked_context, blocked_page, blocked_errors = _context(browser, size)
    _login(blocked_page, site, "laut@example.org")
    expect(blocked_page.locator("body")).to_contain_text("Grund: Wiederholte Beleidigungen")
    blocked_page.goto(site + f"/ideas/{people['idea'].pk}/")
    expect(blocked_page.locator("main")).to_contain_text("Grund: Wiederholte Beleidigungen")
    blocked_context.close()
    # Unblock from the profile.
    page.locator("main").get_by_role("button", name="Krawallo entsperren", exact=True).click()
    expect(page.locator("main").get_by_role("button", name="Konto sperren", exact=True)).to_be_visible()
    rude.refresh_from_db()
    assert not rude.is_blocked
    assert Comment.objects.get(pk=bad.pk).is_hidden
    context.close()
    assert not errors and not blocked_errors, errors + blocked_errors
