"""Monitoring views for the people who run measures: "Meine Aufgaben" and the office's overdue updates."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kompass.core.permissions import require
from kompass.monitoring import mytasks, updates
from kompass.strategy.selectors import strategy_for_request as _strategy


@login_required
@require_GET
def my_tasks(request):
    today = datetime.date.today()
    return render(request, "monitoring/my_tasks.html", {
        "tasks": mytasks.my_tasks(request.user, _strategy(request), today), "today": today,
        "can_see_overdue": request.user.has_perm("monitoring.view_overdue"),
    })


@login_required
@require_GET
def overdue_updates(request):
    require(request.user, "monitoring.view_overdue")
    groups = updates.overdue_by_organisation(_strategy(request))
    return render(request, "monitoring/overdue.html", {
        "groups": groups, "total": sum(len(g["rows"]) for g in groups)})
