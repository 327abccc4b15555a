import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompass.participation import services
from kompass.participation.models import Consultation, OpinionMapResult, Statement, Vote

pytestmark = pytest.mark.django_db

DRAFT = """# Grundsätze
Die Verwaltung wird digital.

Daten sind offen.

# Umsetzung
Jedes Jahr ein Bericht.
"""


@pytest.fixture
def draft(berlin, office):
    now = timezone.now()
    return services.consultation_create(actor=office, strategy=berlin, slug="entwurf", title="Entwurf 2026",
                                        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
                                        chapters=services.parse_draft(DRAFT))


def test_parse_draft():
    chapters = services.parse_draft(DRAFT)
    assert [c["title"] for c in chapters] == ["Grundsätze", "Umsetzung"]
    assert chapters[0]["paragraphs"] == ["Die Verwaltung wird digital.", "Daten sind offen."]


def test_office_publishes_draft_through_the_page(client, office, citizen):
    client.force_login(citizen)
    url = reverse("participation:consultation_create")
    assert client.get(url).status_code == 403
    client.force_login(office)
    response = client.post(url, {"title": "Strategie-Entwurf", "kind": "text", "opens_at": "2026-01-01T10:00",
                                 "closes_at": "2099-01-01T10:00", "body": DRAFT})
    consultation = Consultation.objects.get(title="Strategie-Entwurf")
    assert response.status_code == 302 and consultation.chapters.count() == 2


def test_comment_per_paragraph_answer_and_export(client, draft, citizen, office, make_user):
    paragraph = draft.chapters.first().paragraphs.first()
    client.force_login(citizen)
    client.post(reverse("participation:consultation_comment", args=[draft.slug]),
                {"paragraph": paragraph.pk, "text": "Bitte konkreter."})
    top = paragraph.comments.get()
    client.force_login(make_user("b@example.org"))
    client.post(reverse("participation:consultation_comment", args=[draft.slug]),
                {"paragraph": paragraph.pk, "parent": top.pk, "text": "Stimme zu."})
    assert paragraph.comments.count() == 2
    page = client.get(reverse("participation:consultation", args=[draft.slug])).content.decode()
    assert "Bitte konkreter." in page and "Stimme zu." in page
    # citizens cannot export
    assert client.get(reverse("participation:consultation_export", args=[draft.slug, "csv"])).status_code == 403
    client.force_login(office)
    response = client.get(reverse("participation:consultation_export", args=[draft.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Kapitel", "Absatz"] and rows[1][8] == "veröffentlicht"  # German headers and statuses
    assert [r[7] for r in rows[1:]] == ["Bitte konkreter.", "Stimme zu."]
    assert rows[1][1] == "1.1" and rows[1][5] == "Kiezfuchs"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", rows[1][6]), rows[1][6]  # a German date and time
    xlsx = client.get(reverse("participation:consultation_export", args=[draft.slug, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row == 3 and ws.cell(2, 8).value == "Bitte konkreter."
    assert client.get(reverse("participation:consultation_export", args=[draft.slug, "pdf"])).status_code == 404


def test_closed_draft_takes_no_comments(draft, citizen):
    Consultation.objects.filter(pk=draft.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    draft.refresh_from_db()
    paragraph = draft.chapters.first().paragraphs.first()
    with pytest.raises(ValidationError):
        services.comment_create(actor=citizen, paragraph=paragraph, text="zu spät")


@pytest.fixture
def polis(berlin, office):
    now = timezone.now()
    return services.consultation_create(
        actor=office, strategy=berlin, slug="meinungen", title="Was denkt Berlin?", kind="statements",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
        statements=[f"Aussage {i}" for i in range(8)])


def test_votes_statements_moderation(client, polis, citizen, moderator):
    statement = polis.statements.first()
    client.force_login(citizen)
    client.post(reverse("participation:consultation_vote", args=[polis.slug]),
                {"statement": statement.pk, "vote": "agree"})
    client.post(reverse("participation:consultation_vote", args=[polis.slug]),
                {"statement": statement.pk, "vote": "disagree"})
    assert list(Vote.objects.filter(user=citizen).values_list("value", flat=True)) == [-1]
    client.post(reverse("participation:consultation_statement", args=[polis.slug]), {"text": "Neue Aussage"})
    new = Statement.objects.get(text="Neue Aussage")
    assert new.status == "pending"
    page = client.get(reverse("participation:consultation", args=[polis.slug])).content.decode()
    assert "Neue Aussage" not in page
    with pytest.raises(ValidationError):
        services.vote_cast(actor=citizen, statement=new, value=1)
    services.statement_moderate(actor=moderator, statement=new, status="approved")
    assert "Neue Aussage" in client.get(reverse("participation:consultation", args=[polis.slug])).content.decode()


def test_opinion_map_job_and_results_page(client, polis, office, make_user, django_capture_on_commit_callbacks):
    statements = list(polis.statements.all())
    # two camps: the first half agrees with even statements, the second half with odd ones
    for i in range(16):
        user = make_user(f"p{i}@example.org")
        for j, s in enumerate(statements):
            Vote.objects.create(statement=s, user=user, value=1 if (j % 2 == 0) == (i < 8) else -1)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:opinion_map_compute", args=[polis.slug]))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    result = OpinionMapResult.objects.get(consultation=polis)
    assert result.data["k"] == 2 and sorted(g["size"] for g in result.data["groups"]) == [8, 8]
    client.logout()
    page = client.get(reverse("participation:opinion_map", args=[polis.slug])).content.decode()
    assert "<svg" in page and "<table" in page and "k-means" in page.lower()
    assert "Aussage 0" in page


def test_opinion_map_without_votes_and_permission(client, polis, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    assert client.post(reverse("participation:opinion_map_compute", args=[polis.slug])).status_code == 403
    assert client.get(reverse("participation:opinion_map", args=[polis.slug])).status_code == 200


def test_a_consultation_address_is_taken_once(office):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from kompass.strategy.models import Strategy

    strategy = Strategy.objects.get(slug="berlin-gdb")
    now = timezone.now()
    args = {"actor": office, "strategy": strategy, "slug": "doppelt", "title": "T", "opens_at": now,
            "closes_at": now + timezone.timedelta(days=1)}
    services.consultation_create(**args)
    with pytest.raises(ValidationError) as info:
        services.consultation_create(**args)
    assert info.value.messages == ["Die Adresse doppelt ist bereits vergeben."]
