"""The lottery's findings in the reader's language. The pure sortition code reports codes with numbers
(feasibility details, progress steps, input errors); this module words them with gettext, so no English text
of the algorithm reaches a German page (ADR 0079)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompass.core.formats import number


def _conflict(d: dict) -> str:
    code = d.get("code")
    if code == "minimums_exceed_size":
        return _("%(category)s: the minimums add up to %(total)s, more than the panel size of %(size)s.") % {
            "category": d["category"], "total": number(d["total"]), "size": number(d["size"])}
    if code == "maxima_below_size":
        return _("%(category)s: with these maximums and this pool at most %(total)s people can be selected, fewer "
                 "than the panel size of %(size)s.") % {
            "category": d["category"], "total": number(d["total"]), "size": number(d["size"])}
    if code == "quota_exceeds_pool":
        return ngettext("%(category)s = %(value)s: at least %(minimum)s needed, but only %(available)s person in "
                        "the pool.",
                        "%(category)s = %(value)s: at least %(minimum)s needed, but only %(available)s people in "
                        "the pool.", d["available"]) % {
            "category": d["category"], "value": d["value"], "minimum": number(d["minimum"]),
            "available": number(d["available"])}
    if code == "pool_too_small":
        return _("The pool has %(pool)s people, fewer than the panel size of %(size)s.") % {
            "pool": number(d["pool"]), "size": number(d["size"])}
    if code == "no_panel_even_relaxed":
        return _("No panel of this size exists even with relaxed quotas (the pool is too small, or fixed members "
                 "or the household rule prevent it).")
    return _("The quotas contradict each other.")


def bound_label(bound: str) -> str:
    return _("minimum") if bound == "min" else _("maximum")


def feasibility(stored: dict | None) -> dict | None:
    """A panel's stored feasibility result for the page: message, conflicts and relaxation worded in the active
    language (older results without details keep their stored text)."""
    if not stored:
        return stored
    out = dict(stored)
    if not stored.get("ok"):
        if "details" in stored or stored.get("error"):
            out["conflicts"] = [_conflict(d) for d in stored.get("details", [])]
            out["message"] = (input_error(stored["error"]) if stored.get("error") else
                              _("No panel can satisfy these quotas."))
        relaxation = stored.get("relaxation") or []
        out["relaxation"] = [{**r, "bound": bound_label(r.get("bound", ""))} for r in relaxation]
        if relaxation:
            total = sum(abs(int(r["new"]) - int(r["old"])) for r in relaxation)
            out["message"] += " " + ngettext(
                "The smallest change that makes them feasible moves the quotas by %(total)s person in all.",
                "The smallest change that makes them feasible moves the quotas by %(total)s people in all.",
                total) % {"total": number(total)}
    return out


def input_error(error: dict) -> str:
    """A SortitionError (code and params) in words."""
    code, p = error.get("code"), error
    if code == "unknown_value":
        return _("A person in the pool has the value “%(value)s” for “%(category)s”, which has no quota.") % p
    if code == "missing_value":
        return _("A person in the pool has no value for “%(category)s”.") % p
    if code == "bad_quota":
        return _("The quota for %(category)s = %(value)s needs a minimum that is not above its maximum.") % p
    if code == "no_values":
        return _("The category “%(category)s” has no values.") % p
    if code == "bad_size":
        return _("The panel size must be a whole number of at least 0.")
    return _("The pool and the quotas do not fit together.")


def step(code: str, params: dict) -> str:
    """A progress step of the lottery computation."""
    if code == "feasibility":
        return _("%(respondents)s people in %(types)s profiles: checking whether the quotas can be met") % {
            "respondents": number(params["respondents"]), "types": number(params["types"])}
    if code == "optimising":
        return _("Computing the fairest selection probabilities")
    if code == "rounding":
        return _("Rounding to a lottery over %(panels)s equally likely panels") % {
            "panels": number(params["panels"])}
    return _("Computing")
