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
