"""The cluster test's checker finds missing, duplicated and miscounted writes (so `lost=0` means something)."""

import json

import pytest

from bench.cluster import django_side
from kompass.audit.services import record_event
from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.participation.models import Comment, Idea, Support


def _job(times_taken: int = 1, **fields) -> Job:
    """A job whose task a worker took `times_taken` times (django-tasks-db appends the worker id per claim)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.create(args_kwargs={}, task_path="x", backend_name="default",
                                         run_after=timezone.now(), status="SUCCESSFUL",
                                         worker_ids=[f"w{i}" for i in range(times_taken)])
    return Job.objects.create(kind="x", title="x", task_result_id=str(result.pk), **fields)


@pytest.fixture
def world(berlin, make_user):
    citizen = make_user("citizen1@example.org")
    author = make_user("author@example.org")
    idea = Idea.objects.create(strategy=berlin, author=author, title="Idee aus dem Lasttest tag-1", text="t")
    Support.objects.create(idea=idea, user=citizen)
    Idea.objects.filter(pk=idea.pk).update(support_count=1)
    Comment.objects.create(idea=idea, author=citizen, text="Kommentar aus dem Lasttest tag-2")
    record_event(actor=system_actor("ops-probe"), action="ops.probe", changes={"token": (None, "probe-1")})
    job = _job(status=Job.Status.DONE)
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
    acks["jobs"].append(str(_job(status=Job.Status.FAILED).pk))  # failed without a reason
    Idea.objects.filter(pk=idea.pk).update(support_count=5)
    result = _verify(tmp_path, capsys, acks)
    assert result["lost"] == 6, result["notes"]


@pytest.mark.django_db
def test_a_job_taken_twice_and_the_killed_slow_probe_are_checked(world, tmp_path, capsys):
    acks, _idea = world
    acks["jobs"].append(str(_job(times_taken=2, status=Job.Status.DONE, message="fertig").pk))  # ran twice
    killed = _job(status=Job.Status.FAILED, message="Der Worker wurde beendet.")
    finished = _job(status=Job.Status.DONE)
    for token, actions in (("slow-killed", ["start"]), ("slow-ok", ["start", "done"])):
        for action in actions:
            record_event(actor=system_actor("ops-probe"), action=f"ops.slow_probe.{action}",
                         changes={"token": (None, token)})
    acks["slow"] = [{"job": str(killed.pk), "token": "slow-killed"}, {"job": str(finished.pk), "token": "slow-ok"}]
    acks["killed_job"] = str(killed.pk)
    result = _verify(tmp_path, capsys, acks)
    assert result["lost"] == 1, result["notes"]  # only the job taken twice
    assert any("not taken exactly once" in n for n in result["notes"])
    # the killed probe must not count as finished; a second start of the finished one is an execution too many
    record_event(actor=system_actor("ops-probe"), action="ops.slow_probe.start", changes={"token": (None, "slow-ok")})
    Job.objects.filter(pk=killed.pk).update(status=Job.Status.DONE)
    result = _verify(tmp_path, capsys, acks)
    assert result["lost"] == 3, result["notes"]
