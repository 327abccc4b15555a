"""The task worker's queue in the back office, in German: django-tasks' own admin with its columns named through
our catalogue, and the task and queue names (technical keys) shown as code."""

from django.apps import apps
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("run_id", "task_code", "status", "enqueued_at", "started_at", "finished_at", "priority",
                    "queue_code")
    list_display_links = ("run_id",)

    @admin.display(description=_("identifier"), ordering="id")
    def run_id(self, obj):
        return obj.id

    @admin.display(description=_("task"), ordering="task_path")
    def task_code(self, obj):
        return format_html("<code>{}</code>", obj.task_name)

    @admin.display(description=_("queue name"), ordering="queue_name")
    def queue_code(self, obj):
        return format_html("<code>{}</code>", obj.queue_name)

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)


apps.get_app_config("django_tasks_database").verbose_name = _("Task queue")  # the package names it in English
admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
