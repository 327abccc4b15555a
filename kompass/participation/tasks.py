"""Background task: compute the opinion map of a consultation with kompass.algorithms.opinions."""

from django.utils.translation import gettext
from django_tasks import task

from kompass.jobs.services import job_task


def opinion_message(message: str) -> str:
    """Why algorithms.opinions formed no groups (its fixed English sentences), in the reader's language."""
    import re

    if not message:
        return ""
    few = re.fullmatch(r"too few participants to form groups \((\d+)\)", message)
    if few:
        return gettext("Too few people have voted on enough statements to form groups (%(n)s so far).") % {
            "n": few.group(1)}
    known = {
        "no votes yet": gettext("There are no votes yet."),
        "too few participants or statements": gettext("There are too few participants or statements so far."),
        "participants' positions are too similar to form groups": gettext(
            "The participants' positions are too similar to form groups."),
        "no distinct groups found": gettext("No clearly distinct groups were found."),
    }
    return known.get(message, gettext("No groups could be formed from these votes."))


def build_opinion_map(consultation) -> dict:
    """Read the votes, run the algorithm and turn the result into JSON-able data for the results page."""
    import numpy as np

    from kompass.algorithms.opinions import OpinionMapConfig, compute_opinion_map
    from kompass.participation.models import Statement, Vote

    statements = list(consultation.statements.filter(status=Statement.Status.APPROVED).order_by("pk"))
    s_index = {s.pk: i for i, s in enumerate(statements)}
    rows = list(Vote.objects.filter(statement__in=statements).exclude(user=None)
                .order_by("created_at", "pk").values_list("user_id", "statement_id", "value"))
    users = sorted({r[0] for r in rows})
    p_index = {u: i for i, u in enumerate(users)}
    data = {"n_participants": len(users), "n_statements": len(statements), "k": 0, "groups": [], "points": [],
            "statements": [{"id": s.pk, "text": s.text} for s in statements], "consensus": [], "message": ""}
    if not rows:
        data["message"] = opinion_message("no votes yet")
        return data
    result = compute_opinion_map(
        (np.array([p_index[r[0]] for r in rows]), np.array([s_index[r[1]] for r in rows]),
         np.array([r[2] for r in rows])), n_participants=len(users), n_statements=len(statements),
        config=OpinionMapConfig())
    coords = np.nan_to_num(result.coordinates[:, :2] if result.coordinates.shape[1] >= 2 else
                           np.column_stack([result.coordinates[:, 0], np.zeros(len(users))]))
    data["points"] = [[round(float(x), 4), round(float(y), 4), int(g)]
                      for (x, y), g in zip(coords, result.labels, strict=True)]
    data["k"] = int(result.k)
    data["message"] = opinion_message(result.message)
    for group in result.groups:
        data["groups"].append({
            "id": int(group.id), "size": int(group.size),
            "representative": [{"statement": statements[r.statement].pk, "direction": r.direction,
                                "n_success": int(r.n_success), "n_votes": int(r.n_votes),
                                "probability": round(float(r.probability), 3)} for r in group.representative],
            "counts": [[int(c) for c in result.counts[group.id, i]] for i in range(len(statements))],
        })
    data["consensus"] = [{"statement": statements[c.statement].pk, "direction": c.direction,
                          "min_probability": round(float(c.min_probability), 3)} for c in result.consensus]
    return data


@task()
@job_task
def opinion_map_task(progress, consultation_id: int) -> dict:
    from kompass.core.actors import system_actor
    from kompass.participation.models import Consultation
    from kompass.participation.services import opinion_map_store

    consultation = Consultation.objects.get(pk=consultation_id)
    progress.update(0, total=2, message=gettext("Reading the votes"))
    data = build_opinion_map(consultation)
    progress.update(1, total=2, message=gettext("Storing the opinion map"))
    opinion_map_store(actor=system_actor("opinion-map job"), consultation=consultation, data=data)
    progress.update(2, total=2)
    return {"groups": data["k"], "participants": data["n_participants"]}
