"""Background task of the panel process: compute the fair lottery (run by the kompass.jobs worker)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from kompass.algorithms.sortition import select
from kompass.core.actors import system_actor
from kompass.jobs.services import job_task
from kompass.lottery import services
from kompass.lottery.models import Panel


@task()
@job_task
def compute_lottery(progress, panel_id: int, actor_id: int | None) -> dict:
    """LEXIMIN (or the panel's algorithm) over the pool, rounded to a uniform lottery; the panel itself is drawn
    later from the published list with a public seed."""
    panel = Panel.objects.get(pk=panel_id)
    user = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    actor = user or system_actor("lottery job")
    pool = services._pool(panel)
    quotas = {c: {v: tuple(b) for v, b in vals.items()} for c, vals in panel.quotas.items()}
    steps = {"n": 0}

    def say(message: str) -> None:
        steps["n"] += 1
        progress.update(min(steps["n"], 9), total=10, message=message)

    digest = services.input_hash(pool, panel.quotas, panel.size, panel.algorithm, panel.lottery_panels)
    try:
        result = select(pool, quotas, panel.size, algorithm=panel.algorithm, seed="-", panels=panel.lottery_panels,
                        progress=say)
        services.lottery_store(actor=actor, panel=panel, result=result, digest=digest)
    except Exception:
        services.selection_failed(panel=panel)
        raise
    progress.update(10, total=10, message=result.infeasible.message if result.infeasible else
                    f"list hash {result.list_hash[:16]}…")
    return {"list_hash": result.list_hash, "ok": result.ok,
            "result_url": reverse("lottery:manage", args=[panel.slug])}
