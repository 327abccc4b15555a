from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kompass.audit.models import AuditEvent
from kompass.participation import services
from kompass.participation.models import Comment, Idea, Support

pytestmark = pytest.mark.django_db


def test_citizen_submits_idea_through_the_page(client, berlin, citizen):
    client.force_login(citizen)
    af = berlin.action_fields.first()
    district = berlin.districts.filter(kind="district").first()
    response = client.post(reverse("participation:idea_create"), {
        "kind": "challenge", "title": "Zu wenig Ladepunkte", "text": "Im Kiez fehlt es.",
        "action_fields": [af.pk], "districts": [district.pk],
        "attachments": [SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")]})
    idea = Idea.objects.get(title="Zu wenig Ladepunkte")
    assert response.status_code == 302 and response["Location"] == reverse("participation:idea", args=[idea.pk])
    assert idea.kind == "challenge" and idea.author == citizen and list(idea.districts.all()) == [district]
    assert idea.attachments.get().content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="idea.created", object_id=str(idea.pk)).exists()
    page = client.get(response["Location"])
    assert "Kiezfuchs" in page.content.decode() and "citizen@example.org" not in page.content.decode()
    download = client.get(reverse("participation:attachment", args=[idea.attachments.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_attachments_are_type_and_size_checked(berlin, citizen, settings):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", attachments=[fake])
    settings.KOMPASS_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("a.txt", b"x" * 11, content_type="text/plain")
    with pytest.raises(ValidationError):
        services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", attachments=[big])
    assert not Idea.objects.filter(title="t").exists()


def test_attachment_of_hidden_idea_needs_permission(client, berlin, citizen, moderator, make_user):
    idea = services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", attachments=[
        SimpleUploadedFile("n.txt", b"hello", content_type="text/plain")])
    services.moderation_hide(actor=moderator, target=idea, reason="Werbung")
    url = reverse("participation:attachment", args=[idea.attachments.get().pk])
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_point_must_lie_inside_the_city(berlin, citizen):
    with pytest.raises(ValidationError):
        services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", latitude=48.1, longitude=11.6)
    with pytest.raises(ValidationError):
        services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", latitude=52.5, longitude=None)
    idea = services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", latitude=52.52,
                                longitude=13.40)
    assert idea.latitude == 52.52


def test_support_once_withdraw_and_exact_count(idea, make_user):
    other = make_user("other@example.org")
    assert services.support_add(actor=other, idea=idea) is True
    assert services.support_add(actor=other, idea=idea) is False
    idea.refresh_from_db()
    assert idea.support_count == 1 == Support.objects.filter(idea=idea).count()
    assert services.support_withdraw(actor=other, idea=idea) is True
    idea.refresh_from_db()
    assert idea.support_count == 0


def test_database_enforces_one_support_per_account(idea, citizen):
    from django.db import IntegrityError, transaction

    Support.objects.create(idea=idea, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=citizen)


def test_comments_thread_two_levels_edit_window_and_placeholder(idea, citizen, make_user, settings):
    other = make_user("other@example.org")
    top = services.comment_create(actor=citizen, idea=idea, text="Gute Idee")
    reply = services.comment_create(actor=other, idea=idea, parent=top, text="Finde ich auch")
    reply2 = services.comment_create(actor=citizen, idea=idea, parent=reply, text="Danke")
    assert reply.parent == top and reply2.parent == top  # a reply to a reply joins the thread
    services.comment_edit(actor=citizen, comment=top, text="Sehr gute Idee")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=other, comment=top, text="gehackt")
    Comment.objects.filter(pk=top.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    top.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=citizen, comment=top, text="zu spät")
    services.comment_delete(actor=citizen, comment=top)
    top.refresh_from_db()
    assert top.is_deleted and top.text == ""
    idea.refresh_from_db()
    assert idea.comment_count == 3


def test_idea_page_shows_deleted_placeholder_and_pages_comments(client, idea, citizen, settings):
    settings.KOMPASS_COMMENTS_PAGE_SIZE = 2
    comments = [services.comment_create(actor=citizen, idea=idea, text=f"Kommentar {i}") for i in range(3)]
    services.comment_delete(actor=citizen, comment=comments[0])
    page1 = client.get(reverse("participation:idea", args=[idea.pk])).content.decode()
    assert "Dieser Kommentar wurde gelöscht." in page1
    assert "Kommentar 2" not in page1
    page2 = client.get(reverse("participation:idea", args=[idea.pk]) + "?page=2").content.decode()
    assert "Kommentar 2" in page2


def test_idea_path_and_status_service(idea, office, citizen):
    with pytest.raises(PermissionDenied):
        services.idea_set_status(actor=citizen, idea=idea, status="admitted")
    with pytest.raises(ValidationError):
        services.idea_set_status(actor=office, idea=idea, status="not_admitted", reason="")
    services.idea_set_status(actor=office, idea=idea, status="qualifying")
    services.idea_set_status(actor=office, idea=idea, status="not_admitted", reason="Bereits Teil einer Maßnahme.")
    assert [s.status for s in idea.status_changes.all()] == ["submitted", "qualifying", "not_admitted"]
    assert list(AuditEvent.objects.filter(action="idea.status_changed", object_id=str(idea.pk))
                .values_list("actor", flat=True)) == [office.pk, office.pk]


def test_ownership_owner_then_partner(idea, make_user, berlin):
    orgs = list(berlin.organisations.all()[:3])
    first = make_user("a@example.org", member_of=[orgs[0]])
    second = make_user("b@example.org", member_of=[orgs[1]])
    outsider = make_user("c@example.org")
    assert services.ownership_declare(actor=first, idea=idea, organisation=orgs[0]).role == "owner"
    assert services.ownership_declare(actor=second, idea=idea, organisation=orgs[1]).role == "partner"
    with pytest.raises(PermissionDenied):
        services.ownership_declare(actor=outsider, idea=idea, organisation=orgs[2])
    with pytest.raises(ValidationError):
        services.ownership_declare(actor=first, idea=idea, organisation=orgs[0])
    texts = list(idea.author.notifications.order_by("created_at", "id").values_list("text", flat=True))
    assert texts == [f"{orgs[0]} möchte „Offenes WLAN im Park“ umsetzen.",
                     f"{orgs[1]} möchte „Offenes WLAN im Park“ umsetzen."]


def test_follow_and_notifications(client, idea, citizen, make_user):
    other = make_user("other@example.org")
    services.comment_create(actor=other, idea=idea, text="Hallo")  # the author follows her own idea
    assert citizen.notifications.count() == 1 and other.notifications.count() == 0
    client.force_login(citizen)
    page = client.get(reverse("participation:notifications"))
    assert page.context["unread"] == 1
    client.post(reverse("participation:notifications"))
    assert citizen.notifications.filter(read_at=None).count() == 0


def test_sorting_filters_search_and_stable_random(client, berlin, citizen, make_user):
    ideas = [services.idea_create(actor=citizen, strategy=berlin, title=f"Idee {i}", text="Text",
                                  kind="challenge" if i % 2 else "idea") for i in range(6)]
    supporter = make_user("s@example.org")
    services.support_add(actor=supporter, idea=ideas[2])
    url = reverse("participation:ideas")
    assert client.get(url, {"sort": "supported"}).context["ideas"][0] == ideas[2]
    assert client.get(url).context["ideas"][0] == ideas[-1]
    assert all(i.kind == "challenge" for i in client.get(url, {"kind": "challenge"}).context["ideas"])
    assert [i.title for i in client.get(url, {"q": "idee 3"}).context["ideas"]] == ["Idee 3"]
    first = [i.pk for i in client.get(url, {"sort": "random"}).context["ideas"]]
    again = [i.pk for i in client.get(url, {"sort": "random"}).context["ideas"]]
    assert first == again and sorted(first) == sorted(i.pk for i in Idea.objects.all())
    assert client.get(url, {"sort": "bogus"}).status_code == 400


def test_idea_list_and_page_queries_do_not_grow(client, berlin, citizen, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    idea = services.idea_create(actor=citizen, strategy=berlin, title="x", text="y",
                                action_fields=list(berlin.action_fields.all()[:2]))
    services.comment_create(actor=citizen, idea=idea, text="c")
    small = (count(reverse("participation:ideas")), count(reverse("participation:idea", args=[idea.pk])))
    for i in range(25):
        other = services.idea_create(actor=citizen, strategy=berlin, title=f"t{i}", text="y",
                                     action_fields=list(berlin.action_fields.all()[:2]),
                                     districts=list(berlin.districts.all()[:2]))
        services.comment_create(actor=citizen, idea=idea, text=f"c{i}")
        services.comment_create(actor=citizen, idea=idea, parent=idea.comments.first(), text=f"r{i}")
        del other
    from django.core.cache import cache

    cache.clear()
    big = (count(reverse("participation:ideas")), count(reverse("participation:idea", args=[idea.pk])))
    assert big == small


def test_qualifying_idea_becomes_a_lifecycle_candidate_once(idea, office):
    from kompass.lifecycle.models import Candidate

    services.idea_set_status(actor=office, idea=idea, status="qualifying")
    services.idea_set_status(actor=office, idea=idea, status="submitted")
    services.idea_set_status(actor=office, idea=idea, status="qualifying")
    candidate = Candidate.objects.get(source="citizen_idea")
    assert (candidate.title, candidate.source_kind, candidate.source_id) == (idea.title, "participation.idea", idea.pk)
    assert candidate.source_link == services.idea_url(idea.pk)
    assert candidate.submitted_by == idea.author
    assert candidate.description == "Überall im Park.\n\nUnterstützt von 0 Personen."


def test_attachments_are_kept_outside_the_public_media_root(client, berlin, citizen, moderator, settings):
    from pathlib import Path

    idea = services.idea_create(actor=citizen, strategy=berlin, title="t", text="x", attachments=[
        SimpleUploadedFile("plan.txt", b"geheim", content_type="text/plain")])
    stored = idea.attachments.get().file
    assert Path(stored.path).is_relative_to(Path(settings.KOMPASS_PRIVATE_ROOT))
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("plan*"))
    with pytest.raises(ValueError):
        stored.url  # noqa: B018 - no public address exists
    services.moderation_hide(actor=moderator, target=idea, reason="Werbung")
    url = reverse("participation:attachment", args=[idea.attachments.get().pk])
    client.force_login(citizen)  # the author still sees her own file, never cached
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
