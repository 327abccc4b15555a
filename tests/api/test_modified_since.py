"""`modified_since` on the lists of the other apps (ideas, comments, consultations, phases, candidates, decisions,
lessons, organisations): an item changed before the cut-off is left out, one changed after is listed, a naive
value is UTC, and a malformed value is 400 naming the parameter."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kompass.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CUT = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
BEFORE = CUT - datetime.timedelta(hours=1)
AFTER = CUT + datetime.timedelta(hours=1)


def _audit(obj, when):
    event = AuditEvent.objects.create(actor_label="test", action="test.changed",
                                      content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=when)


def _keys(response, key):
    assert response.status_code == 200, response.content
    data = response.json()
    items = data["items"] if isinstance(data, dict) else data
    return {i[key] for i in items}


def _ideas(berlin):
    from kompass.participation.models import Idea

    old = Idea.objects.create(strategy=berlin, title="Alte Idee", text="Text")
    new = Idea.objects.create(strategy=berlin, title="Neue Idee", text="Text")
    Idea.objects.filter(pk=old.pk).update(updated_at=BEFORE)
    Idea.objects.filter(pk=new.pk).update(updated_at=AFTER)
    return "/api/v1/ideas", "id", old.pk, new.pk


def _comments(berlin):
    from kompass.participation.models import Comment, Idea

    idea = Idea.objects.create(strategy=berlin, title="Idee mit Kommentaren", text="Text")
    old = Comment.objects.create(idea=idea, text="früher", created_at=BEFORE - datetime.timedelta(days=1))
    edited = Comment.objects.create(idea=idea, text="bearbeitet", created_at=BEFORE - datetime.timedelta(days=1),
                                    edited_at=AFTER)
    answered = Comment.objects.create(idea=idea, text="beantwortet", created_at=BEFORE)
    reply = Comment.objects.create(idea=idea, parent=answered, text="Antwort", created_at=AFTER)
    Comment.objects.create(idea=idea, parent=old, text="alte Antwort", created_at=BEFORE)
    # A thread is listed with its replies when its comment or any reply changed after the cut-off.
    return f"/api/v1/ideas/{idea.pk}/comments", "id", old.pk, edited.pk, answered.pk, reply.pk


def _consultations(berlin):
    from kompass.participation.models import Consultation

    def make(slug):
        c = Consultation.objects.create(strategy=berlin, slug=slug, title=slug, opens_at=BEFORE, closes_at=AFTER)
        Consultation.objects.filter(pk=c.pk).update(created_at=BEFORE - datetime.timedelta(days=1))
        return c

    old, new = make("ms-alt"), make("ms-neu")
    _audit(old, BEFORE)
    _audit(new, AFTER)
    return "/api/v1/consultations", "slug", old.slug, new.slug


def _phases(berlin):
    from kompass.lifecycle.models import Phase
    from kompass.strategy.models import Strategy

    Strategy.objects.filter(pk=berlin.pk).update(updated_at=BEFORE)
    old, new = list(Phase.objects.filter(strategy=berlin).order_by("position"))[:2]
    Phase.objects.filter(pk=old.pk).update(modified_at=BEFORE)
    Phase.objects.filter(pk=new.pk).update(modified_at=AFTER)
    return "/api/v1/phases", "slug", old.slug, new.slug


def _candidate(berlin, slug, **times):
    from kompass.lifecycle.models import Candidate

    c = Candidate.objects.create(strategy=berlin, slug=slug, title=slug, description="d", source="external")
    Candidate.objects.filter(pk=c.pk).update(**times)
    return c


def _candidates(berlin):
    old = _candidate(berlin, "ms-alt", created_at=BEFORE)
    new = _candidate(berlin, "ms-neu", created_at=BEFORE, decided_at=AFTER)
    return "/api/v1/candidates", "slug", old.slug, new.slug


def _decisions(berlin):
    old = _candidate(berlin, "ms-alt", created_at=BEFORE, decided_at=BEFORE, status="rejected")
    new = _candidate(berlin, "ms-neu", created_at=BEFORE, decided_at=AFTER, status="admitted")
    return "/api/v1/decisions", "slug", old.slug, new.slug


def _lessons(berlin):
    from kompass.lifecycle.models import LessonLearned

    measure = berlin.measures.order_by("slug").first()

    def make(title, created):
        lesson = LessonLearned.objects.create(measure=measure, title=title, what_worked="a", what_did_not="b",
                                              recommendation="c")
        LessonLearned.objects.filter(pk=lesson.pk).update(created_at=created)
        return lesson

    old, new = make("Alte Lehre", BEFORE), make("Neue Lehre", BEFORE)
    _audit(new, AFTER)
    return "/api/v1/lessons", "title", old.title, new.title


def _organisations(berlin):
    from kompass.strategy.models import Strategy

    Strategy.objects.filter(pk=berlin.pk).update(updated_at=BEFORE)
    old, new = list(berlin.organisations.order_by("name"))[:2]
    berlin.organisations.filter(pk=old.pk).update(modified_at=BEFORE)
    berlin.organisations.filter(pk=new.pk).update(modified_at=AFTER)
    return "/api/v1/organisations", "slug", old.slug, new.slug


LISTS = {"ideas": _ideas, "comments": _comments, "consultations": _consultations, "phases": _phases,
         "candidates": _candidates, "decisions": _decisions, "lessons": _lessons, "organisations": _organisations}


@pytest.mark.parametrize("name", LISTS)
def test_modified_since_lists_only_items_changed_after_the_cut_off(client, berlin, name):
    url, key, old, new, *also_new = LISTS[name](berlin)
    everything = _keys(client.get(url), key)
    assert {old, new, *also_new} <= everything
    changed = _keys(client.get(url, {"modified_since": CUT.isoformat()}), key)
    assert changed == {new, *also_new}
    naive = CUT.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()  # without a zone it is UTC
    assert _keys(client.get(url, {"modified_since": naive}), key) == changed
    earlier = (BEFORE - datetime.timedelta(minutes=1)).isoformat()
    assert {old, new} <= _keys(client.get(url, {"modified_since": earlier}), key)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("value", ["gestern", "2024-13-45", "2025-01-01T25:00:00"])
def test_malformed_modified_since_is_400_naming_it(client, berlin, name, value):
    url = LISTS[name](berlin)[0]
    response = client.get(url, {"modified_since": value})
    assert response.status_code == 400
    assert [d["param"] for d in response.json()["detail"]] == ["modified_since"]


@pytest.mark.parametrize("name", LISTS)
def test_modified_since_keeps_pagination(client, berlin, name):
    url, key, old, new, *also_new = LISTS[name](berlin)
    earlier = (BEFORE - datetime.timedelta(minutes=1)).isoformat()
    first = _keys(client.get(url, {"modified_since": earlier, "limit": 1}), key)
    second = _keys(client.get(url, {"modified_since": earlier, "limit": 1, "offset": 1}), key)
    assert first and second and not first & second  # one item (a comment thread: with its replies) per page


def test_every_list_documents_modified_since(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, ops in schema["paths"].items():
        get = ops.get("get")
        if not get or ("{" in path and not path.endswith("/comments")):
            continue  # one item, or a part of one
        if path.endswith(("/strategy", "districts.geojson", "changes.atom")):
            continue  # one document; the Atom feed documents its own modified_since
        names = {p["name"]: p for p in get.get("parameters", [])}
        assert "modified_since" in names, path
        assert names["modified_since"]["description"], path
        assert "400" in get["responses"], path


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["4130-11-01T13:15:51+18:15", "0001-01-01T00:00:00+05:00",
                                    "9999-12-31T23:59:59-05:00"])
def test_modified_since_with_extreme_zone_offsets_is_answered(client, berlin, moment):
    """Offsets beyond PostgreSQL's ±15:59 and moments that overflow once shifted to UTC still answer 200."""
    response = client.get("/api/v1/organisations", {"modified_since": moment})
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_rows_without_their_own_change_time_fall_back_to_audit_events_then_the_strategy(client, berlin):
    # Rows written before the `modified_at` column existed have it NULL.
    from kompass.lifecycle.models import Phase
    from kompass.strategy.models import Strategy

    Strategy.objects.filter(pk=berlin.pk).update(updated_at=BEFORE)
    Phase.objects.filter(strategy=berlin).update(modified_at=None)
    berlin.organisations.update(modified_at=None)
    phase, org = Phase.objects.filter(strategy=berlin).order_by("position").first(), berlin.organisations.first()
    _audit(phase, AFTER)
    _audit(org, AFTER)
    assert _keys(client.get("/api/v1/phases", {"modified_since": CUT.isoformat()}), "slug") == {phase.slug}
    assert _keys(client.get("/api/v1/organisations", {"modified_since": CUT.isoformat()}), "slug") == {org.slug}


def test_reloading_the_strategy_stamps_only_the_changed_phase_and_organisation(client, berlin, tmp_path):
    import yaml

    from kompass.lifecycle.models import Phase
    from kompass.strategy.services import STRATEGY_LOADER, strategy_load
    from tests.conftest import BERLIN
    from tests.strategy.test_loader import write

    doc = yaml.safe_load(BERLIN.read_text(encoding="utf-8"))
    loaded = timezone.now()
    Phase.objects.filter(strategy=berlin).update(modified_at=BEFORE - datetime.timedelta(days=2))
    berlin.organisations.update(modified_at=BEFORE - datetime.timedelta(days=2))
    doc["process"]["phases"][1]["name"] += " (neu)"
    doc["organisations"][2]["website"] = "https://example.org/neu"
    former = doc["organisations"][3].setdefault("former_names", [])
    former.append({"name": "Ganz alter Name"})
    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    cut = (BEFORE - datetime.timedelta(days=1)).isoformat()
    assert _keys(client.get("/api/v1/phases", {"modified_since": cut}), "slug") == {
        doc["process"]["phases"][1]["slug"]}
    assert _keys(client.get("/api/v1/organisations", {"modified_since": cut}), "slug") == {
        doc["organisations"][2]["slug"], doc["organisations"][3]["slug"]}  # a new former name changes it too
    changed = Phase.objects.get(strategy=berlin, slug=doc["process"]["phases"][1]["slug"])
    assert changed.modified_at >= loaded
