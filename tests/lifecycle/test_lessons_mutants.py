"""Lessons learned and replication, pinned where mutation testing found them loose (docs/mutation/flow.md)."""

import pytest

from kompass.audit.models import AuditEvent
from kompass.lifecycle import services
from kompass.lifecycle.models import MeasureLifecycle
from kompass.lifecycle.selectors import current_phase

pytestmark = pytest.mark.django_db


def test_a_lesson_keeps_normalised_tags_up_to_300_characters_and_a_lower_cased_search_text(fresh, make_user):
    office = make_user("office@example.org", office=True)
    tags = ", ".join(f"Tag{n:03d}" for n in range(40))  # 318 characters after normalising
    lesson = services.lesson_create(actor=office, measure=fresh, title="Früh BETEILIGEN", what_worked="Werkstatt",
                                    what_did_not="Formulare", recommendation="Bezirke einladen", tags=f" {tags} ,, ")
    assert lesson.tags == tags.lower()[:300]
    assert lesson.search_text == "\n".join(["früh beteiligen", "werkstatt", "formulare", "bezirke einladen",
                                            tags.lower(), fresh.title.lower()])
    assert lesson.phase == current_phase(fresh)
    assert AuditEvent.objects.get(action="lesson.created", object_id=str(fresh.pk)).changes == {
        "lesson": [None, "Früh BETEILIGEN"]}


def test_setting_and_clearing_a_replication_is_audited_with_the_old_and_new_original(berlin, make_user):
    office = make_user("office@example.org", office=True)
    a, b, c = berlin.measures.order_by("slug")[:3]
    services.replication_set(actor=office, measure=c, original=a)
    services.replication_set(actor=office, measure=c, original=b)
    services.replication_set(actor=office, measure=c, original=None)
    assert MeasureLifecycle.objects.get(measure=c).replication_of_id is None
    assert [e.changes["replication_of"] for e in AuditEvent.objects.filter(
        action="measure.replication_set", object_id=str(c.pk)).order_by("pk")] == [
        [None, a.pk], [a.pk, b.pk], [b.pk, None]]
