"""Monitoring views for the people who run measures: "Meine Aufgaben" and the office's overdue updates."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from kompass.accounts import roles
from kompass.core import fragments
from kompass.core.permissions import require
from kompass.monitoring import mytasks, updates
from kompass.strategy.selectors import strategy_for_request as _strategy


@login_required
@require_GET
def my_tasks(request):
    today = datetime.date.today()
    strategy, user = _strategy(request), request.user

    def content() -> str:
        roles.forget(user)  # memberships and teams read after the generation (kompass.core.fragments)
        return render_to_string("monitoring/_my_tasks_main.html", {
            "tasks": mytasks.my_tasks(user, strategy, today), "today": today,
            "can_see_overdue": user.has_perm("monitoring.view_overdue"),
        }, request=request)

    # Personal, so kept per account state and day, until the next committed write (ADR 0044).
    key = [strategy.pk, today.isoformat(), *fragments.account_state(user)]
    # The whole page too, per account state and day (ADR 0083).
    return fragments.cached_page(request, "monitoring.my_tasks", key, lambda extra: render(
        request, "monitoring/my_tasks.html",
        {"main": fragments.cached_fragment("monitoring.my_tasks", key, content), **extra}))


@login_required
@require_GET
def overdue_updates(request):
    require(request.user, "monitoring.view_overdue")
    groups = updates.overdue_by_organisation(_strategy(request))
    return render(request, "monitoring/overdue.html", {
        "groups": groups, "total": sum(len(g["rows"]) for g in groups)})
