"""Issue 13, the rough edges citizens and moderators found: each test fails without its fix."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kompass.accounts.models import User
from kompass.audit.models import AuditEvent
from kompass.participation import services
from kompass.participation.models import Comment, Idea, Notification, Support

pytestmark = pytest.mark.django_db

PASSWORD = "Ein-langes-Passwort-42"


@pytest.fixture
def unconfirmed(db):
    return User.objects.create_user(email="neu@example.org", password=PASSWORD, display_name="Neu", is_active=False)


# --- Logging in before confirming; resending the link ----------------------------------------------------------

def test_login_before_confirming_says_so_and_offers_a_new_link(client, unconfirmed):
    response = client.post(reverse("accounts:login"), {"username": "neu@example.org", "password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "noch nicht bestätigt" in page
    assert reverse("accounts:resend_confirmation") in page
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_for_an_unconfirmed_account_reveals_nothing(client, unconfirmed):
    page = client.post(reverse("accounts:login"), {"username": "neu@example.org", "password": "falsch-falsch"}
                       ).content.decode()
    assert "noch nicht bestätigt" not in page
    assert "passen nicht zusammen" in page


def test_resend_confirmation_sends_a_working_link(client, unconfirmed):
    response = client.post(reverse("accounts:resend_confirmation"), {"email": "Neu@Example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["neu@example.org"]
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    unconfirmed.refresh_from_db()
    assert unconfirmed.is_active
    assert AuditEvent.objects.filter(action="account.verification_resent").count() == 1


def test_resend_answers_the_same_for_unknown_and_confirmed_addresses(client, citizen, unconfirmed):
    pages = [client.post(reverse("accounts:resend_confirmation"), {"email": e}).content.decode()
             .replace(e, "ADDRESS") for e in ("niemand@example.org", "citizen@example.org")]
    assert pages[0] == pages[1]
    assert mail.outbox == []


def test_resend_is_rate_limited(client, unconfirmed):
    for _ in range(3):
        assert client.post(reverse("accounts:resend_confirmation"), {"email": "neu@example.org"}).status_code == 200
    assert client.post(reverse("accounts:resend_confirmation"), {"email": "neu@example.org"}).status_code == 429
    assert len(mail.outbox) == 3


# --- Blocked accounts are told why -------------------------------------------------------------------------------

def test_blocked_user_is_told_why_on_login(client, blocked):
    response = client.post(reverse("accounts:login"), {"username": blocked.email, "password": "S3cure-pass-word"},
                           follow=True)
    page = response.content.decode()
    assert "gesperrt" in page and "Grund: spam" in page


def test_blocked_user_is_told_why_when_writing(client, blocked, idea):
    client.force_login(blocked)
    response = client.get(reverse("participation:idea_create"))
    assert response.status_code == 403
    assert "Grund: spam" in response.content.decode()
    response = client.post(reverse("participation:idea_comment", args=[idea.pk]), {"text": "Hallo"})
    assert response.status_code == 403 and "Grund: spam" in response.content.decode()
    assert not Comment.objects.filter(author=blocked).exists()


def test_blocked_user_is_told_why_in_the_api(client, blocked, idea):
    from kompass.accounts.services import api_token_create

    _token, secret = api_token_create(actor=blocked, user=blocked, name="t")
    response = client.post(f"/api/v1/ideas/{idea.pk}/support", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert "spam" in response.json()["detail"][0]["msg"]


# --- Authors cannot support their own idea ---------------------------------------------------------------------

def test_author_cannot_support_own_idea_service(idea, citizen):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.support_add(actor=citizen, idea=idea)
    assert not Support.objects.filter(idea=idea).exists()
    assert Idea.objects.get(pk=idea.pk).support_count == 0
    assert AuditEvent.objects.count() == before


def test_author_cannot_support_own_idea_page(client, idea, citizen):
    client.force_login(citizen)
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert reverse("participation:idea_support", args=[idea.pk]) not in page
    assert "Das ist Ihre Idee. Andere können sie unterstützen, Sie selbst nicht." in page
    assert client.post(reverse("participation:idea_support", args=[idea.pk])).status_code == 403
    assert not Support.objects.exists()


def test_author_cannot_support_own_idea_api_but_others_can(client, idea, citizen, make_user):
    from kompass.accounts.services import api_token_create

    _t, own = api_token_create(actor=citizen, user=citizen, name="t")
    response = client.post(f"/api/v1/ideas/{idea.pk}/support", HTTP_AUTHORIZATION=f"Bearer {own}")
    assert response.status_code == 403
    assert "eigene Idee" in response.json()["detail"][0]["msg"]
    other = make_user("other@example.org")
    _t, theirs = api_token_create(actor=other, user=other, name="t")
    response = client.post(f"/api/v1/ideas/{idea.pk}/support", HTTP_AUTHORIZATION=f"Bearer {theirs}")
    assert response.status_code == 200 and response.json()["support_count"] == 1


# --- Replies: notifications say "reply", counts include replies --------------------------------------------------

def test_reply_notifies_the_comment_author_with_a_reply_text_and_anchor(idea, citizen, make_user):
    first, second = make_user("a@example.org"), make_user("b@example.org")
    second.display_name = "Spreewelle"
    second.save()
    services.follow_set(actor=first, idea=idea)
    parent = services.comment_create(actor=first, idea=idea, text="Gute Idee")
    Notification.objects.all().delete()
    reply = services.comment_create(actor=second, parent=parent, text="Finde ich auch")
    to_first = Notification.objects.filter(user=first)
    assert to_first.count() == 1  # the follower who wrote the comment gets the reply notice, once
    note = to_first.get()
    assert "Antwort" in note.text and "Spreewelle" in note.text
    assert note.url.endswith(f"#comment-{reply.pk}")
    follower_note = Notification.objects.get(user=citizen)  # the idea's author follows it
    assert "Antwort" in follower_note.text and "Kommentar" not in follower_note.text


def test_consultation_comment_count_includes_replies(client, open_consultation, office, citizen):
    draft = open_consultation("e", chapters=services.parse_draft("# A\nEins.\n"))
    paragraph = draft.chapters.get().paragraphs.get()
    parent = services.comment_create(actor=citizen, paragraph=paragraph, text="Eins")
    services.comment_create(actor=office, parent=parent, text="Zwei")
    page = client.get(reverse("participation:consultation", args=[draft.slug])).content.decode()
    assert "2 Kommentare" in page


# --- Moderators: accounts list and profile, block and unblock ----------------------------------------------------

ROLES = {"visitor": None, "citizen": "citizen", "blocked": "blocked", "moderator": "moderator", "office": "office"}
EXPECTED_GET = {"visitor": 302, "citizen": 403, "blocked": 403, "moderator": 200, "office": 200}


@pytest.mark.parametrize("role", list(ROLES))
def test_accounts_list_and_profile_role_matrix(client, role, request, citizen, make_user):
    target = make_user("target@example.org")
    if ROLES[role]:
        client.force_login(request.getfixturevalue(ROLES[role]))
    for url in (reverse("participation:moderation_users"), reverse("participation:moderation_user", args=[target.pk])):
        assert client.get(url).status_code == EXPECTED_GET[role], url
    before = AuditEvent.objects.count()
    response = client.post(reverse("participation:moderation_block", args=[target.pk]), {"reason": "Spam"})
    target.refresh_from_db()
    if role in ("moderator", "office"):
        assert response.status_code == 302 and target.is_blocked and target.blocked_reason == "Spam"
        assert AuditEvent.objects.filter(action="moderation.blocked").count() == 1
    else:
        assert response.status_code == 403  # for visitors too, with a login link (ADR 0037)
        assert not target.is_blocked and AuditEvent.objects.count() == before


def test_moderator_blocks_and_unblocks_from_the_profile(client, moderator, make_user):
    target = make_user("target@example.org")
    target.display_name = "Krawallo"
    target.save()
    client.force_login(moderator)
    users = client.get(reverse("participation:moderation_users"), {"q": "kraw"}).content.decode()
    profile_url = reverse("participation:moderation_user", args=[target.pk])
    assert profile_url in users and "Krawallo" in users
    profile = client.get(profile_url).content.decode()
    block_url = reverse("participation:moderation_block", args=[target.pk])
    assert block_url in profile
    response = client.post(block_url, {"reason": "Beleidigungen", "next": profile_url})
    assert response.status_code == 302 and response["Location"] == profile_url
    target.refresh_from_db()
    assert target.is_blocked
    profile = client.get(profile_url).content.decode()
    assert 'value="unblock"' in profile and "Beleidigungen" in profile
    client.post(block_url, {"action": "unblock", "next": profile_url})
    target.refresh_from_db()
    assert not target.is_blocked
    assert AuditEvent.objects.filter(action="moderation.unblocked", object_id=str(target.pk)).count() == 1
    # Searching by a part of the address finds nothing (moderators see names, not addresses).
    assert profile_url not in client.get(reverse("participation:moderation_users"), {"q": "target@"}).content.decode()


def test_moderator_cannot_block_themselves_from_the_list(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("participation:moderation_users")).content.decode()
    assert reverse("participation:moderation_block", args=[moderator.pk]) not in page


def test_queue_links_a_reported_reply_in_its_thread(client, idea, citizen, moderator, make_user, settings):
    settings.KOMPASS_COMMENTS_PAGE_SIZE = 1
    other = make_user("o@example.org")
    services.comment_create(actor=other, idea=idea, text="Erster")
    root = services.comment_create(actor=other, idea=idea, text="Zweiter")
    reply = services.comment_create(actor=citizen, parent=root, text="Böse Antwort")
    services.report_create(actor=other, target=reply, reason="Beleidigung")
    client.force_login(moderator)
    page = client.get(reverse("participation:moderation")).content.decode()
    link = reverse("participation:idea", args=[idea.pk]) + f"?page=2#comment-{reply.pk}"
    assert f'href="{link}"' in page
    assert f'id="comment-{reply.pk}"' in client.get(link.split("#")[0]).content.decode()
    assert reverse("participation:moderation_user", args=[citizen.pk]) in page


# --- Maps: the idea's place, the Arena as a map -----------------------------------------------------------------

@pytest.fixture
def placed_idea(berlin, make_user):
    from kompass.participation.geo import city_bbox

    min_lon, min_lat, max_lon, max_lat = city_bbox(berlin)
    author = make_user("placer@example.org")
    return services.idea_create(actor=author, strategy=berlin, title="Bank am Kanal", text="Eine Bank.",
                                latitude=(min_lat + max_lat) / 2, longitude=(min_lon + max_lon) / 2)


def test_idea_page_shows_its_place_on_the_district_map(client, placed_idea, idea):
    page = client.get(reverse("participation:idea", args=[placed_idea.pk])).content.decode()
    assert page.count('class="idea-marker"') == 1
    assert "district-shape" in page and "<image" not in page  # outlines only: no tile server by default
    assert 'class="idea-marker"' not in client.get(reverse("participation:idea", args=[idea.pk])).content.decode()


def test_arena_map_view_links_every_placed_idea(client, placed_idea, idea):
    response = client.get(reverse("participation:idea_map"))
    assert response.status_code == 200
    page = response.content.decode()
    detail = reverse("participation:idea", args=[placed_idea.pk])
    assert f'<a href="{detail}" aria-label="Bank am Kanal">' in page
    assert idea.title not in page  # no place, no dot, not listed on the map page
    assert reverse("participation:idea_map") in client.get(reverse("participation:ideas")).content.decode()
    assert client.get(reverse("participation:idea_map"), {"q": "nichtvorhanden"}).content.decode().count(
        'class="idea-marker"') == 0
    assert client.get(reverse("participation:idea_map"), {"kind": "quatsch"}).status_code == 400


def test_tiles_come_only_from_the_configured_server(client, placed_idea, settings):
    settings.KOMPASS_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = client.get(reverse("participation:idea", args=[placed_idea.pk])).content.decode()
    hrefs = re.findall(r'<image href="([^"]+)"', page)
    assert hrefs and all(re.fullmatch(r"https://tiles\.example\.org/\d+/\d+/\d+\.png", h) for h in hrefs)
    settings.KOMPASS_MAP_TILE_URL = "http://insecure.example.org/{z}/{x}/{y}.png"
    assert "<image" not in client.get(reverse("participation:idea", args=[placed_idea.pk])).content.decode()


def test_tile_placement_covers_the_map():
    from kompass.participation import geo
    from kompass.strategy.maps import DistrictMap

    dmap = DistrictMap(640, 400, [], min_lon=13.0, max_lat=52.7, x_scale=640 / 0.8, y_scale=400 / 0.3)
    tiles = geo.tiles(dmap, "https://t/{z}/{x}/{y}")
    assert 1 < len(tiles) <= 30
    assert min(t.x for t in tiles) <= 0 and min(t.y for t in tiles) <= 0
    assert max(t.x + t.width for t in tiles) >= 640 and max(t.y + t.height for t in tiles) >= 400
    assert len({t.href for t in tiles}) == len(tiles)


# --- The opinion map explains what it needs ----------------------------------------------------------------------

@pytest.fixture
def small_polis(open_consultation):
    return open_consultation("klein", statements=["Eins", "Zwei", "Drei"])


def test_opinion_map_explains_too_few_votes(client, small_polis, citizen):
    for s in small_polis.statements.all():
        services.vote_cast(actor=citizen, statement=s, value=1)
    page = client.get(reverse("participation:opinion_map", args=[small_polis.slug])).content.decode()
    assert "Noch nicht genug Stimmen" in page
    assert "1 Person hat" in page and "3 weitere Personen" in page
    assert "Für das Strategiebüro" not in page  # the office warning is for the office


def test_office_is_warned_about_too_few_statements(client, small_polis, office):
    client.force_login(office)
    for name in ("participation:opinion_map", "participation:consultation"):
        page = client.get(reverse(name, args=[small_polis.slug])).content.decode()
        assert "Für das Strategiebüro" in page and "3 veröffentlichte Aussagen" in page, name


def test_readiness_counts_people_with_enough_votes(small_polis, citizen, make_user):
    from kompass.participation.selectors import opinion_readiness

    other = make_user("x@example.org")
    for s in small_polis.statements.all():
        services.vote_cast(actor=citizen, statement=s, value=1)
    services.vote_cast(actor=other, statement=small_polis.statements.first(), value=-1)
    r = opinion_readiness(small_polis)
    assert (r.n_statements, r.votes_needed, r.n_participants, r.n_ready, r.missing_people) == (3, 3, 2, 1, 3)
    assert r.few_statements


@pytest.mark.parametrize(("url", "expected"), [
    ("", "img-src 'self' data:;"),
    ("https://tiles.example.org/{z}/{x}/{y}.png", "img-src 'self' data: https://tiles.example.org;"),
    ("http://insecure.example.org/{z}/{x}/{y}.png", "img-src 'self' data:;"),
])
def test_csp_admits_only_the_configured_https_tile_origin(url, expected):
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
            "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY)")
    env = {**os.environ, "KOMPASS_TESTING": "1", "MAP_TILE_URL": url}
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_moderators_reach_an_author_account_from_the_idea_page(client, idea, citizen, moderator, make_user):
    services.comment_create(actor=make_user("c@example.org"), idea=idea, text="Hallo")
    profile = reverse("participation:moderation_user", args=[citizen.pk])
    assert profile not in client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    client.force_login(moderator)
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert profile in page and page.count("/moderation/users/") == 2
