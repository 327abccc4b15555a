"""The cluster test's checker finds missing, duplicated and miscounted writes (so `lost=0` means something)."""

import json

import pytest

from bench.cluster import django_side
from kompass.audit.services import record_event
from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.participation.models import Comment, Idea, Support


@pytest.fixture
def world(berlin, make_user):
    citizen = make_user("citizen1@example.org")
    author = make_user("author@example.org")
    idea = Idea.objects.create(strategy=berlin, author=author, title="Idee aus dem Lasttest tag-1", text="t")
    Support.objects.create(idea=idea, user=citizen)
    Idea.objects.filter(pk=idea.pk).update(support_count=1)
    Comment.objects.create(idea=idea, author=citizen, text="Kommentar aus dem Lasttest tag-2")
    record_event(actor=system_actor("ops-probe"), action="ops.probe", changes={"token": (None, "probe-1")})
    job = Job.objects.create(kind="x", title="x", status=Job.Status.DONE)
    return {"supports": [["citizen1@example.org", idea.pk]], "ideas": ["tag-1"], "comments": ["tag-2"],
            "probes": ["probe-1"], "jobs": [str(job.pk)]}, idea


def _verify(tmp_path, capsys, acks) -> dict:
    path = tmp_path / "acks.json"
    path.write_text(json.dumps(acks))
    django_side.verify(path)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_everything_acknowledged_is_there_exactly_once(world, tmp_path, capsys):
    acks, _idea = world
    result = _verify(tmp_path, capsys, acks)
    assert result["lost"] == 0, result["notes"]
    assert (result["jobs_ok"], result["jobs_total"]) == (2, 2)


@pytest.mark.django_db
def test_missing_duplicated_and_miscounted_writes_are_lost(world, tmp_path, capsys, berlin, make_user):
    acks, idea = world
    acks["supports"].append(["citizen1@example.org", idea.pk + 999])  # acknowledged, never stored
    acks["ideas"].append("tag-missing")
    Comment.objects.create(idea=idea, author=idea.author, text="Kommentar aus dem Lasttest tag-2")  # twice
    record_event(actor=system_actor("ops-probe"), action="ops.probe", changes={"token": (None, "probe-1")})
    acks["jobs"].append(str(Job.objects.create(kind="y", title="y", status=Job.Status.FAILED).pk))  # no reason
    Idea.objects.filter(pk=idea.pk).update(support_count=5)
    result = _verify(tmp_path, capsys, acks)
    assert result["lost"] == 6, result["notes"]
