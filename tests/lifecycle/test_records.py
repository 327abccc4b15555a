"""The Vorprozess record (logbook, attachments, mandate), description versions, fact sheet, milestones, digest,
lessons learned."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kompass.lifecycle import services
from kompass.lifecycle.models import Attachment, DescriptionVersion, MeetingFormat, Milestone, Notification
from tests.lifecycle.conftest import complete_sections

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"


def _format(berlin, slug="massnahmenwerkstatt"):
    return MeetingFormat.objects.get(strategy=berlin, slug=slug)


def test_logbook_entry_with_safe_attachments(client, berlin, fresh, people):
    client.force_login(people["member"])
    other = berlin.organisations.exclude(pk=fresh.responsible_organisation_id).first()
    response = client.post(reverse("lifecycle:logbook", args=[fresh.slug]), {
        "meeting_format": "massnahmenwerkstatt", "held_on": "2025-02-03", "organisations": [other.pk],
        "outcomes": "Ziele und Schlüsselergebnisse", "decisions": "Pilot im Bezirk",
        "attachments": [SimpleUploadedFile("Protokoll Werkstatt.pdf", PDF, content_type="application/pdf"),
                        SimpleUploadedFile("foto.png", PNG, content_type="image/png")]})
    assert response.status_code == 302
    entry = fresh.logbook_entries.get()
    assert list(entry.organisations.all()) == [other]
    names = sorted(a.original_name for a in entry.attachments.all())
    assert names == ["foto.png", "protokoll-werkstatt.pdf"]
    attachment = entry.attachments.get(original_name="foto.png")
    assert "media" not in attachment.file.path  # outside MEDIA_ROOT
    download = client.get(reverse("lifecycle:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
    # The decision notifies the rest of the team (not the author).
    assert Notification.objects.filter(kind="decision", recipient=people["lead"]).exists()
    assert not Notification.objects.filter(recipient=people["member"]).exists()


def test_attachments_are_only_served_to_the_team_and_office(client, berlin, fresh, people):
    entry = services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=_format(berlin),
                                          held_on=datetime.date(2025, 1, 2),
                                          files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")])
    url = reverse("lifecycle:attachment", args=[entry.attachments.get().pk])
    assert client.get(url).status_code == 302  # visitor: to the login
    for role, status in (("citizen", 403), ("reviewer", 403), ("lead", 200), ("coordinator", 200),
                         ("office", 200), ("cdo", 200), ("admin", 200)):
        client.force_login(people[role])
        assert client.get(url).status_code == status, role


@pytest.mark.parametrize("name,content,ctype", [
    ("script.exe", b"MZ....", "application/octet-stream"),
    ("bild.svg", b"<svg/>", "image/svg+xml"),
    ("fake.pdf", b"<html>not a pdf</html>", "application/pdf"),
    ("fake.png", PDF, "image/png"),
    ("mismatch.pdf", PDF, "text/html"),
    ("leer.csv", b"", "text/csv"),
])
def test_unsafe_attachments_are_refused_and_nothing_is_written(berlin, fresh, people, name, content, ctype):
    with pytest.raises(ValidationError):
        services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=_format(berlin),
                                      held_on=datetime.date(2025, 1, 2),
                                      files=[SimpleUploadedFile(name, content, content_type=ctype)])
    assert not fresh.logbook_entries.exists() and not Attachment.objects.exists()


def test_attachment_size_limit(berlin, fresh, people, settings):
    settings.KOMPASS_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=_format(berlin),
                                      held_on=datetime.date(2025, 1, 2),
                                      files=[SimpleUploadedFile("big.pdf", PDF + b"0" * 200,
                                                                content_type="application/pdf")])


def test_csv_and_office_documents_are_accepted(berlin, fresh, people):
    files = [SimpleUploadedFile("liste.csv", "name;wert\nä;1\n".encode(), content_type="text/csv"),
             SimpleUploadedFile("plan.xlsx", b"PK\x03\x04rest", content_type="application/zip")]
    entry = services.logbook_entry_create(actor=people["member"], measure=fresh, meeting_format=_format(berlin),
                                          held_on=datetime.date(2025, 1, 2), files=files)
    assert entry.attachments.count() == 2


def test_mandate_is_recorded_and_shown(client, fresh, people):
    client.force_login(people["coordinator"])
    response = client.post(reverse("lifecycle:mandate", args=[fresh.slug]), {
        "given_by": "digital_cabinet", "given_on": "2025-04-01", "budget_eur": "250000", "staff_fte": "2.5"})
    assert response.status_code == 302
    mandate = fresh.mandates.get()
    assert mandate.budget_eur == 250000 and str(mandate.staff_fte) == "2.50"
    html = client.get(reverse("measures:measure", args=[fresh.slug])).content.decode()
    assert "Digitalkabinett" in html


def test_description_versions_diff_and_public_current_version(client, fresh, people):
    first = services.description_save(actor=people["member"], measure=fresh, sections=complete_sections("Alt"))
    assert services.description_save(actor=people["member"], measure=fresh,
                                     sections=complete_sections("Alt")) is None  # unchanged: no new version
    sections = complete_sections("Alt")
    sections["risks"] = "Neues Risiko\nZweite Zeile"
    second = services.description_save(actor=people["lead"], measure=fresh, sections=sections, note="Risiken")
    assert (first.number, second.number) == (1, 2) and first.is_complete
    public = client.get(reverse("lifecycle:description", args=[fresh.slug])).content.decode()
    assert "Neues Risiko" in public and "1. " in public
    history = client.get(reverse("lifecycle:description_history", args=[fresh.slug]), {"from": 1, "to": 2})
    html = history.content.decode()
    assert "<del>Alt risks</del>" in html and "<ins>Neues Risiko</ins>" in html
    assert client.get(reverse("lifecycle:description_history", args=[fresh.slug]),
                      {"to": "x"}).status_code == 404


def test_description_edit_form_creates_a_version(client, fresh, people):
    client.force_login(people["lead"])
    data = {**complete_sections("Form"), "note": "erste Fassung"}
    assert client.post(reverse("lifecycle:description_edit", args=[fresh.slug]), data).status_code == 302
    assert DescriptionVersion.objects.get(measure=fresh).sections["challenge"] == "Form challenge"


def test_fact_sheet_as_html_and_pdf(client, ready):
    html = client.get(reverse("lifecycle:factsheet", args=[ready.slug]))
    assert html.status_code == 200 and ready.title in html.content.decode()
    pdf = client.get(reverse("lifecycle:factsheet_pdf", args=[ready.slug]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_digest_collects_notifications_into_one_email_per_person(fresh, people, phases, ready):
    services.phase_move(actor=people["coordinator"], measure=ready, to_phase=phases["exploration"])
    services.milestone_create(actor=people["member"], measure=ready, title="Interviews",
                              due_on=datetime.date.today() - datetime.timedelta(days=3), owner=people["lead"])
    mail.outbox.clear()
    call_command("send_lifecycle_digest")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["lead@example.org", "member@example.org"]
    lead_mail = next(m for m in mail.outbox if m.to == ["lead@example.org"])
    assert "Exploration" in lead_mail.body and "Interviews" in lead_mail.body
    mail.outbox.clear()
    call_command("send_lifecycle_digest")  # nothing new: no email, the overdue milestone is not repeated
    assert mail.outbox == []
    assert Milestone.objects.get(title="Interviews").overdue_notified_on is not None


def test_overdue_milestones_are_flagged_in_the_workspace(client, fresh, people):
    services.milestone_create(actor=people["member"], measure=fresh, title="Zu spät",
                              due_on=datetime.date(2020, 1, 1))
    client.force_login(people["member"])
    html = client.get(reverse("lifecycle:workspace", args=[fresh.slug])).content.decode()
    assert 'class="overdue"' in html


def test_lessons_library_is_searchable(client, fresh, people):
    services.lesson_create(actor=people["member"], measure=fresh, title="Früh mit Bezirken sprechen",
                           what_worked="Werkstatt", what_did_not="Zu viele Formulare",
                           recommendation="Bezirke früh einladen", tags="Beteiligung, Bezirke")
    hit = client.get(reverse("lifecycle:lessons"), {"q": "formulare"})
    assert "Früh mit Bezirken sprechen" in hit.content.decode()
    assert hit.context["page"].paginator.count == 1
    assert client.get(reverse("lifecycle:lessons"), {"q": "xylophon"}).context["page"].paginator.count == 0
    assert client.get(reverse("lifecycle:lessons"), {"tag": "bezirke"}).context["page"].paginator.count == 1


def test_changing_a_team_role_is_written_and_audited_once(fresh, people):
    from kompass.audit.models import AuditEvent
    from kompass.lifecycle.models import TeamMember

    before = AuditEvent.objects.filter(action="team_member.changed").count()
    services.team_member_set(actor=people["coordinator"], measure=fresh, user=people["member"], role="lead")
    assert TeamMember.objects.get(measure=fresh, user=people["member"]).role == "lead"
    assert AuditEvent.objects.filter(action="team_member.changed").count() == before + 1
    services.team_member_set(actor=people["coordinator"], measure=fresh, user=people["member"], role="lead")
    assert AuditEvent.objects.filter(action="team_member.changed").count() == before + 1  # nothing changed


def test_a_description_note_is_kept_to_300_characters(fresh, people):
    # Found by mutation testing (docs/mutation/flow.md): the cut-off at 300 was not pinned.
    version = services.description_save(actor=people["member"], measure=fresh, sections=complete_sections("N"),
                                        note="x" * 299 + "yz" + "w" * 50)
    assert version.note == "x" * 299 + "y"
