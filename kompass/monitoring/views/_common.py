"""The shared shape of the monitoring form pages: load, check, form, service, message, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from kompass.measures import selectors as measure_selectors
from kompass.strategy.selectors import strategy_for_request


def editable_measure(request, slug, perm: str = "monitoring.change_monitoring"):
    """The current strategy and its measure `slug` (404 when unknown), 403 unless the user holds `perm` on it."""
    strategy = strategy_for_request(request)
    measure = measure_selectors.measure_detail(strategy, slug)
    if not request.user.has_perm(perm, measure):
        raise PermissionDenied
    return strategy, measure


def form_page(request, form, template: str, context: dict, *, perform, done, success: str = ""):
    """A valid POST runs `perform(cleaned_data)` (one service call); a ValidationError it raises becomes a form
    error. On success: the message `success` and `done(result)` (a redirect). Otherwise the page with the form,
    answered 400 after a POST."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if success:
                messages.success(request, success)
            return done(result)
    return render(request, template, {"form": form, **context}, status=400 if request.method == "POST" else 200)
