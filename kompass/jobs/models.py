import uuid

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A long-running piece of work (report, lottery, import, clustering) run by the task worker.

    The task reports progress here; people follow it on the job page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=250)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_url = models.CharField(_("link to the result"), max_length=300, blank=True,
                                  help_text=_("Where to see the result."))
    task_result_id = models.CharField(_("id of the task run"), max_length=64, blank=True,
                                      help_text=_("The task backend's id of the run."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
                                   on_delete=models.SET_NULL,
                                   related_name="jobs")
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True,
                                        help_text=_("Last sign of life of the worker."))
    task_path = models.CharField(_("task"), max_length=200, blank=True, db_default="",
                                 help_text=_("The task, so the job can be retried."))
    task_args = models.JSONField(_("arguments of the task"), default=list, blank=True, db_default=Value([],
                                 models.JSONField()))
    temp_files = models.JSONField(_("temporary files"), default=list, blank=True, db_default=Value([],
                                  models.JSONField()),
                                  help_text=_("Private files the job may leave behind; removed when it ends."))
    retry_of = models.ForeignKey("self", verbose_name=_("retry of"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="retries")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def refused(self) -> bool:
        """Finished, but the task refused its input (an import with problems): nothing was done."""
        return self.status == self.Status.DONE and (self.result or {}).get("outcome") == "refused"

    @property
    def status_label(self) -> str:
        """The status people see: "refused" for a refused job, not "done"."""
        return str(_("refused")) if self.refused else self.get_status_display()

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
