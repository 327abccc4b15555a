import rules

from kompass.accounts.rules import is_admin, is_office


@rules.predicate
def started_job(user, job) -> bool:
    return job is not None and user.is_authenticated and job.created_by_id == user.pk


rules.add_perm("jobs.view_job", is_office | started_job)
rules.add_perm("jobs.retry_job", is_office | started_job)
rules.add_perm("jobs.purge_jobs", is_admin)  # the daily job (SystemActor) or an admin
