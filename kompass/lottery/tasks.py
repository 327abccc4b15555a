"""Background task of the panel process: compute the fair lottery (run by the kompass.jobs worker)."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from kompass.algorithms.sortition import select
from kompass.core.actors import actor_from_ref
from kompass.jobs.services import job_task
from kompass.lottery import services, wording
from kompass.lottery.models import Panel


def _pct(value) -> str:
    return "–" if value is None else f"{number_format(100 * float(value), 4)} %"


def progress_text(info: dict) -> str:
    """The optimiser's progress in the officer's language: level, profiles fixed, bounds on the minimum."""
    return _("Level %(level)s: %(fixed)s of %(types)s profiles fixed; lowest probability between %(lower)s and "
             "%(upper)s") % {"level": info.get("level", 0), "fixed": info.get("fixed", 0),
                             "types": info.get("types", 0), "lower": _pct(info.get("lower")),
                             "upper": _pct(info.get("upper"))}


@task()
@job_task
def compute_lottery(progress, panel_id: int, actor: int | str) -> dict:
    """LEXIMIN (or the panel's algorithm) over the pool, rounded to a uniform lottery; the panel itself is drawn
    later from the published list with a public seed."""
    panel = Panel.objects.get(pk=panel_id)
    try:  # who started it: a deleted or deactivated account's lottery stops (back to the quotas stage)
        actor = actor_from_ref(actor)
    except Exception:
        services.selection_failed(panel=panel)
        raise
    pool = services._pool(panel)
    quotas = {c: {v: tuple(b) for v, b in vals.items()} for c, vals in panel.quotas.items()}
    steps = {"n": 0}

    def say(message: str) -> None:
        steps["n"] += 1
        progress.update(min(steps["n"], 9), total=10, message=message)

    def solver(info: dict) -> None:
        say(progress_text(info))

    digest = services.input_hash(pool, panel.quotas, panel.size, panel.algorithm, panel.lottery_panels)
    state = panel.solver_state if panel.summary.get("complete") is False else None
    try:
        result = select(pool, quotas, panel.size, algorithm=panel.algorithm, seed="-", panels=panel.lottery_panels,
                        progress=say, progress_info=solver, state=state,
                        progress_step=lambda code, params: say(wording.step(code, params)),
                        time_limit=float(getattr(settings, "LOTTERY_TIME_LIMIT", 300.0)))
        services.lottery_store(actor=actor, panel=panel, result=result, digest=digest)
    except Exception:
        services.selection_failed(panel=panel)
        raise
    if result.infeasible:
        message = wording.feasibility({"ok": False, "details": result.infeasible.details,
                                       "relaxation": result.infeasible.relaxation})["message"]
    elif not result.complete:
        message = _("Time limit reached: the lottery is valid but not yet fully optimal. You can continue the "
                    "computation on the panel page.")
    else:
        message = _("List hash %(hash)s…") % {"hash": result.list_hash[:16]}
    progress.update(10, total=10, message=message)
    return {"list_hash": result.list_hash, "ok": result.ok,
            "result_url": reverse("lottery:manage", args=[panel.slug])}
