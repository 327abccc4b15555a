from django_tasks import task

from kompass.jobs.services import job_task


@task()
@job_task
def count_to(progress, n: int, fail: bool = False):
    for i in range(1, n + 1):
        progress.update(i, total=n, message=f"step {i}")
    if fail:
        raise ValueError("planned failure")
    return {"counted": n, "result_url": "/data/"}


@task()
@job_task
def sleepy(progress, seconds: float, marker: str = ""):
    """Runs for `seconds`; writes `marker` (a private-storage name) first, as a job's temporary file."""
    import time
    from pathlib import Path

    from django.conf import settings

    if marker:
        path = Path(getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private")) / marker
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("temporary")
    progress.update(0, total=1, message="sleeping")
    time.sleep(seconds)
    return {"slept": seconds}
