"""Texts of the packages Kompass uses that the back office shows and that come without a German translation of their
own (django-tasks-db's task results, django-axes' session hash). Never imported: `make makemessages` reads this file,
so these msgids stay in Kompass' catalogue (kompass/locale) instead of being dropped as obsolete."""

from django.utils.translation import gettext_noop, pgettext_lazy

TEXTS = (
    # django_tasks_db.models.DBTaskResult and its status choices
    gettext_noop("Task Result"), gettext_noop("Task Results"), gettext_noop("args kwargs"),
    gettext_noop("backend name"), gettext_noop("enqueued at"), gettext_noop("exception class path"),
    gettext_noop("finished at"), gettext_noop("priority"), gettext_noop("return value"), gettext_noop("started at"),
    gettext_noop("task path"), gettext_noop("worker id"), pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"), pgettext_lazy("Task", "Failed"), pgettext_lazy("Task", "Successful"),
    # axes.models.AccessBase.session_hash
    gettext_noop("Session key hash (sha256)"),
)
