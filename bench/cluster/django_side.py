"""The cluster test's Django-side steps, run as subprocesses in the cluster's environment (through PgBouncer):

    python bench/cluster/django_side.py jobs OUT.json      start probes, a spreadsheet import, an opinion map
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
    jobs = list(Job.objects.filter(pk__in=acks["jobs"]).values_list("kind", "status", "message"))
    unfinished = [j for j in jobs if j[1] not in ("done", "failed") or (j[1] == "failed" and not j[2])]
    lost += len(unfinished) + (len(acks["jobs"]) - len(jobs))
    if unfinished:
        notes.append(f"jobs not finished with a reason: {unfinished}")
    from django_tasks_db.models import DBTaskResult

    statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    jobs_ok = (len(acks["probes"]) - len(probe_bad)) + (len(jobs) - len(unfinished))
    print(json.dumps({"lost": lost, "notes": notes, "jobs": jobs, "task_statuses": statuses, "jobs_ok": jobs_ok,
                      "jobs_total": len(acks["probes"]) + len(acks["jobs"]),
                      "probes": len(acks["probes"]), "supports": len(pairs), "ideas": len(acks["ideas"]),
                      "comments": len(acks["comments"])}, default=str))


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "jobs":
        start_jobs(Path(sys.argv[2]), int(os.environ.get("CLUSTER_PROBES", "300")))
    elif sys.argv[1] == "verify":
        verify(Path(sys.argv[2]))
