"""The cluster test's Django-side steps, run as subprocesses in the cluster's environment (through PgBouncer):

    python bench/cluster/django_side.py jobs OUT.json      start probes, a spreadsheet import, an opinion map
    python bench/cluster/django_side.py slow OUT.json N S  start N slow probe jobs of S seconds (a worker is killed
                                                           in the middle of one)
    python bench/cluster/django_side.py retry JOB OUT.json sweep until the killed job is failed, start it again
    python bench/cluster/django_side.py urls OUT.json      the public page and API URLs (kompass.ops.drill)
    python bench/cluster/django_side.py verify ACKS.json   compare the database with what clients were told
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.cluster.settings")

import django  # noqa: E402


def start_jobs(out: Path, probes: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kompass.accounts.models import User
    from kompass.lifecycle.services import spreadsheet_import_start
    from kompass.lifecycle.spreadsheets import export_csv
    from kompass.ops.tasks import probe
    from kompass.participation.models import Consultation
    from kompass.participation.services import opinion_map_start
    from kompass.strategy.selectors import current_strategy

    office = User.objects.get(email="office@example.org")
    strategy = current_strategy()
    tokens = [uuid.uuid4().hex for _ in range(probes)]
    for token in tokens:
        probe.enqueue(token)
    # a spreadsheet import: the catalogue's own export read back in (changes nothing, runs every row)
    body = export_csv(strategy)
    lines = body.decode("utf-8").splitlines()
    small = "\n".join(lines[:301]).encode("utf-8")  # header + 300 measures
    imp = spreadsheet_import_start(actor=office, strategy=strategy, dry_run=False,
                                   upload=SimpleUploadedFile("cluster-import.csv", small, "text/csv"))
    consultation = Consultation.objects.get(slug="cluster-polis")
    opinion = opinion_map_start(actor=office, consultation=consultation)
    out.write_text(json.dumps({"probes": tokens, "jobs": [str(imp.pk), str(opinion.pk)]}))


def start_slow(out: Path, n: int, seconds: float) -> None:
    from kompass.accounts.models import User
    from kompass.jobs.services import job_start
    from kompass.ops.tasks import slow_probe

    office = User.objects.get(email="office@example.org")
    slow = []
    for _ in range(n):
        token = uuid.uuid4().hex
        job = job_start(actor=office, kind="ops.slow_probe", title="Langsame Probe", task=slow_probe,
                        args=[token, seconds])
        slow.append({"job": str(job.pk), "token": token})
    out.write_text(json.dumps(slow))


def retry_killed(job_id: str, out: Path, timeout: float = 120) -> None:
    """The job whose worker was killed: the sweep marks it failed with a reason once its lease is over (as every
    worker's heartbeat does); then its owner starts it again, and the new job must run to the end once."""
    import time

    from kompass.accounts.models import User
    from kompass.jobs.models import Job
    from kompass.jobs.services import job_retry, jobs_sweep

    deadline = time.monotonic() + timeout
    job = Job.objects.get(pk=job_id)
    while job.status != Job.Status.FAILED and time.monotonic() < deadline:
        jobs_sweep()
        time.sleep(1)
        job.refresh_from_db()
    if job.status != Job.Status.FAILED:
        raise SystemExit(f"killed job {job_id} is still {job.status} after {timeout:.0f} s")
    again = job_retry(actor=User.objects.get(email="office@example.org"), job=job)
    out.write_text(json.dumps({"failed": {"status": job.status, "message": job.message}, "retry": str(again.pk)}))


def public_urls(out: Path) -> None:
    from kompass.ops.drill import api_urls, page_urls

    out.write_text(json.dumps(page_urls() + api_urls()[0]))


def _executions(task_result_ids: list[str]) -> dict[str, int]:
    """How many times a worker took each task (django-tasks-db appends the worker id on every claim)."""
    from django_tasks_db.models import DBTaskResult

    return {str(pk): len(ids or []) for pk, ids in
            DBTaskResult.objects.filter(pk__in=[t for t in task_result_ids if t]).values_list("pk", "worker_ids")}


def verify(acks_path: Path) -> None:
    from django.db import connection
    from django.db.models import Count

    from kompass.audit.models import AuditEvent
    from kompass.jobs.models import Job
    from kompass.participation.models import Comment, Idea, Support

    acks = json.loads(acks_path.read_text())
    lost, notes = 0, []
    # supports: each acknowledged (citizen, idea) pair exactly once, and exact denormalised counts
    pairs = acks["supports"]
    have = {(u, i) for u, i in Support.objects.filter(user__email__startswith="citizen",
                                                        idea_id__in={i for _u, i in pairs})
            .values_list("user__email", "idea_id")}
    missing = [p for p in pairs if tuple(p) not in have]
    lost += len(missing)
    if missing:
        notes.append(f"supports missing: {missing[:3]}")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM participation_idea i WHERE support_count <> "
                    "(SELECT COUNT(*) FROM participation_support s WHERE s.idea_id = i.id)")
        wrong_counts = cur.fetchone()[0]
    lost += wrong_counts
    if wrong_counts:
        notes.append(f"ideas with a wrong support_count: {wrong_counts}")
    # ideas and comments: each acknowledged one exactly once (by its unique token)
    for label, model, field, prefix, tokens in (
            ("ideas", Idea, "title", "Idee aus dem Lasttest ", acks["ideas"]),
            ("comments", Comment, "text", "Kommentar aus dem Lasttest ", acks["comments"])):
        stored: dict[str, int] = {}
        for value in model.objects.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True):
            token = value[len(prefix):]
            stored[token] = stored.get(token, 0) + 1
        bad = {t: stored.get(t, 0) for t in tokens if stored.get(t, 0) != 1}
        lost += len(bad)
        if bad:
            notes.append(f"{label} not exactly once: {list(bad.items())[:3]}")
    # jobs: every probe ran exactly once; every Kompass job done, or failed with a reason
    runs = dict(AuditEvent.objects.filter(action="ops.probe").values_list("changes__token__1")
                .annotate(n=Count("id")).values_list("changes__token__1", "n"))
    probe_bad = {t: runs.get(t, 0) for t in acks["probes"] if runs.get(t, 0) != 1}
    lost += len(probe_bad)
    if probe_bad:
        notes.append(f"probes not run exactly once: {list(probe_bad.items())[:3]}")
    slow = acks.get("slow", [])
    killed = acks.get("killed_job")
    all_jobs = [*acks["jobs"], *[s["job"] for s in slow]]
    rows = list(Job.objects.filter(pk__in=all_jobs).values_list("pk", "kind", "status", "message", "task_result_id"))
    jobs = [(k, st, m) for _pk, k, st, m, _t in rows]
    unfinished = [(str(pk), k, st, m) for pk, k, st, m, _t in rows
                  if st not in ("done", "failed") or (st == "failed" and not m)]
    lost += len(unfinished) + (len(all_jobs) - len(rows))
    if unfinished:
        notes.append(f"jobs not finished with a reason: {unfinished}")
    # no job executed twice: every job's task was taken by exactly one worker, once
    executions = _executions([t for *_rest, t in rows])
    twice = [(str(pk), k, executions.get(t, 0)) for pk, k, _st, _m, t in rows if executions.get(t, 0) != 1]
    lost += len(twice)
    if twice:
        notes.append(f"jobs not taken exactly once by a worker: {twice}")
    # the slow probes: each started exactly once; the killed one failed (its worker died), the others finished
    starts = dict(AuditEvent.objects.filter(action="ops.slow_probe.start").values_list("changes__token__1")
                  .annotate(n=Count("id")).values_list("changes__token__1", "n"))
    ends = dict(AuditEvent.objects.filter(action="ops.slow_probe.done").values_list("changes__token__1")
                .annotate(n=Count("id")).values_list("changes__token__1", "n"))
    status_of = {str(pk): st for pk, _k, st, _m, _t in rows}
    killed_token = next((s["token"] for s in slow if s["job"] == killed), None)
    for item in slow:
        token, job_id = item["token"], item["job"]
        want_end = 0 if job_id == killed else 1
        want_status = "failed" if job_id == killed else "done"
        # the retry of the killed job runs the same token again: one more start and one end
        extra = 1 if token == killed_token and acks.get("killed_retry") else 0
        if (starts.get(token, 0), ends.get(token, 0)) != (1 + extra, want_end + extra) \
                or status_of.get(job_id) != want_status:
            lost += 1
            notes.append(f"slow probe {job_id}: status {status_of.get(job_id)}, started {starts.get(token, 0)}, "
                         f"ended {ends.get(token, 0)} (killed: {job_id == killed})")
    from django_tasks_db.models import DBTaskResult

    # no task row left unfinished; the killed worker's row failed with the sweep's reason (issue 12)
    open_rows = list(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values_list("pk", "task_path"))
    lost += len(open_rows)
    if open_rows:
        notes.append(f"task rows left READY or RUNNING: {[(str(pk), p) for pk, p in open_rows[:5]]}")
    for pk in acks.get("killed_tasks", []):
        row = DBTaskResult.objects.filter(pk=pk).values_list("status", "exception_class_path").first()
        if row != ("FAILED", "kompass.jobs.services.WorkerLost"):
            lost += 1
            notes.append(f"the killed worker's task row {pk}: {row} (want FAILED by the sweep)")
    statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    jobs_ok = (len(acks["probes"]) - len(probe_bad)) + (len(jobs) - len(unfinished))
    print(json.dumps({"lost": lost, "notes": notes, "jobs": jobs, "task_statuses": statuses, "jobs_ok": jobs_ok,
                      "jobs_total": len(acks["probes"]) + len(all_jobs), "killed_job": killed,
                      "probes": len(acks["probes"]), "supports": len(pairs), "ideas": len(acks["ideas"]),
                      "comments": len(acks["comments"])}, default=str))


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "jobs":
        start_jobs(Path(sys.argv[2]), int(os.environ.get("CLUSTER_PROBES", "300")))
    elif sys.argv[1] == "slow":
        start_slow(Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif sys.argv[1] == "retry":
        retry_killed(sys.argv[2], Path(sys.argv[3]))
    elif sys.argv[1] == "urls":
        public_urls(Path(sys.argv[2]))
    elif sys.argv[1] == "verify":
        verify(Path(sys.argv[2]))
