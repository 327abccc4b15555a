"""Role matrix: visitor, citizen, blocked citizen, moderator, strategy office. A denied write answers exactly 403
(for visitors with a login link, ADR 0037) and changes nothing; an allowed one changes data and leaves an audit
event."""

import pytest
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.participation import services
from kompass.participation.models import Comment, Idea, Report, Support
from tests.denied import assert_denied

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "citizen", "blocked", "moderator", "office"]


@pytest.fixture
def as_role(client, make_user, blocked, moderator, office):
    def login(role):
        users = {"citizen": make_user("second@example.org"), "blocked": blocked, "moderator": moderator,
                 "office": office}
        if role in ("reviewer", "cdo", "admin"):
            users[role] = make_user(f"{role}@example.org", admin=role == "admin")
            users[role].is_reviewer, users[role].is_cdo = role == "reviewer", role == "cdo"
            users[role].save()
        if role != "visitor":
            client.force_login(users[role])
        return client

    return login


def _assert_denied(response, role):
    """Exactly 403 for every role without the right; a visitor's page links to the login (ADR 0037)."""
    assert_denied(response, anonymous=role == "visitor")


def _allowed(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


@pytest.mark.parametrize("role,allowed", [("visitor", False), ("citizen", True), ("blocked", False),
                                          ("moderator", True), ("office", True)])
def test_support(as_role, idea, role, allowed):
    client = as_role(role)
    before = AuditEvent.objects.count()
    response = client.post(reverse("participation:idea_support", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.support_count == (1 if allowed else 0) == Support.objects.filter(idea=idea).count()
    if allowed:
        assert _allowed(response) and AuditEvent.objects.count() > before
    else:
        _assert_denied(response, role)
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role,allowed", [("visitor", False), ("citizen", True), ("blocked", False),
                                          ("moderator", True), ("office", True)])
def test_comment_and_idea(as_role, idea, role, allowed):
    client = as_role(role)
    before = AuditEvent.objects.count()
    comment = client.post(reverse("participation:idea_comment", args=[idea.pk]), {"text": "Hallo"})
    assert Comment.objects.filter(text="Hallo").exists() is allowed
    created = client.post(reverse("participation:idea_create"), {"kind": "idea", "title": "Neu", "text": "t"})
    assert Idea.objects.filter(title="Neu").exists() is allowed
    if allowed:
        assert _allowed(comment) and _allowed(created) and AuditEvent.objects.count() == before + 2
    else:
        _assert_denied(comment, role)
        _assert_denied(created, role)
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role,allowed", [("visitor", False), ("citizen", False), ("blocked", False),
                                          ("moderator", True), ("office", True)])
def test_moderation_queue_and_hide(as_role, idea, role, allowed):
    client = as_role(role)
    comment = services.comment_create(actor=idea.author, idea=idea, text="Beleidigung")
    queue = client.get(reverse("participation:moderation"))
    assert (queue.status_code == 200) is allowed
    response = client.post(reverse("participation:moderation_hide", args=["comment", comment.pk]),
                           {"reason": "Beleidigung"})
    comment.refresh_from_db()
    assert comment.is_hidden is allowed
    assert AuditEvent.objects.filter(action="moderation.hidden").exists() is allowed
    if not allowed:
        _assert_denied(response, role)


@pytest.mark.parametrize("role,allowed", [
    ("visitor", False), ("citizen", False), ("blocked", False), ("moderator", False),
    ("reviewer", True), ("cdo", True), ("office", True), ("admin", True)])
def test_set_status(as_role, idea, role, allowed):
    """Reviewers qualify ideas, the CDO decides on them, the office and admins may do both; nobody else."""
    client = as_role(role)
    before = AuditEvent.objects.filter(action="idea.status_changed").count()
    response = client.post(reverse("participation:idea_status", args=[idea.pk]), {"status": "qualifying"})
    idea.refresh_from_db()
    changed = AuditEvent.objects.filter(action="idea.status_changed").count() - before
    if allowed:
        assert _allowed(response) and idea.status == "qualifying" and changed == 1
        assert idea.status_changes.count() == 2
    else:
        _assert_denied(response, role)
        assert (idea.status, changed, idea.status_changes.count()) == ("submitted", 0, 1)
        assert not AuditEvent.objects.filter(action="idea.forwarded").exists()


def test_report_hide_block_flow_is_audited(client, idea, citizen, moderator, make_user):
    troll = make_user("troll@example.org")
    comment = services.comment_create(actor=troll, idea=idea, text="Unsinn")
    client.force_login(citizen)
    client.post(reverse("participation:report", args=["comment", comment.pk]), {"reason": "beleidigend"})
    assert Report.objects.filter(comment=comment, resolved_at=None).count() == 1
    client.force_login(moderator)
    queue = client.get(reverse("participation:moderation")).content.decode()
    assert "Unsinn" in queue and "beleidigend" in queue
    client.post(reverse("participation:moderation_hide", args=["comment", comment.pk]), {"reason": "Beleidigung"})
    client.post(reverse("participation:moderation_block", args=[troll.pk]), {"reason": "wiederholt"})
    troll.refresh_from_db()
    assert troll.is_blocked and Report.objects.get(comment=comment).resolved_at is not None
    page = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert "Beleidigung" in page and "Unsinn" not in page
    client.force_login(troll)
    client.post(reverse("participation:idea_comment", args=[idea.pk]), {"text": "noch mehr"})
    client.post(reverse("participation:idea_support", args=[idea.pk]))
    assert not Comment.objects.filter(text="noch mehr").exists() and idea.supports.count() == 0
    actions = set(AuditEvent.objects.filter(action__startswith="moderation.").values_list("action", flat=True))
    assert actions == {"moderation.hidden", "moderation.blocked"}


def test_hidden_idea_shows_reason_to_public(client, idea, moderator):
    services.moderation_hide(actor=moderator, target=idea, reason="Werbung")
    response = client.get(reverse("participation:idea", args=[idea.pk]))
    assert response.status_code == 410 and "Werbung" in response.content.decode()
    assert idea not in client.get(reverse("participation:ideas")).context["ideas"]


def test_rate_limits_per_account_and_ip(client, idea, settings, make_user):
    settings.KOMPASS_PARTICIPATION_RATE_LIMITS = {"comment": (2, 600), "support": (1, 600)}
    user = make_user("fast@example.org")
    client.force_login(user)
    url = reverse("participation:idea_comment", args=[idea.pk])
    assert client.post(url, {"text": "1"}).status_code == 302
    assert client.post(url, {"text": "2"}).status_code == 302
    response = client.post(url, {"text": "3"})
    assert response.status_code == 429
    assert ("Sie haben das Limit von 2 für diese Aktion erreicht. Bitte versuchen Sie es in spätestens 10 Minuten "
            "erneut.") in response.content.decode()
    assert Comment.objects.filter(idea=idea).count() == 2
    # Per IP: 1 support x 4 per address; the fifth account from the same address is refused.
    results = []
    for i in range(5):
        client.force_login(make_user(f"ip{i}@example.org"))
        results.append(client.post(reverse("participation:idea_support", args=[idea.pk])).status_code)
    assert results == [302, 302, 302, 302, 429]


def test_guidelines_page(client):
    assert client.get(reverse("participation:guidelines")).status_code == 200


def test_documented_default_limits_apply_without_configuration(settings):
    from kompass.core.ratelimit import limits

    del settings.KOMPASS_PARTICIPATION_RATE_LIMITS
    assert [limits(a) for a in ("idea", "comment", "support", "vote", "statement")] == [
        (5, 3600), (20, 600), (60, 600), (300, 600), (10, 3600)]
