"""What the participation pages share: the current strategy, page numbers, and running a service from a post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from kompass.core.hardening import MAX_PAGE, bounded_int, pk_or_404
from kompass.participation.services import RateLimited
from kompass.strategy.selectors import strategy_for_request as _strategy  # noqa: F401 - used by the view modules


def _page_number(request) -> int:
    return bounded_int(request.GET.get("page"), 1, minimum=1, maximum=MAX_PAGE)


def _act(request, fn, *, success: str = "", fallback: str = "/"):
    """Run a service call from a form post: validation errors and rate limits become messages."""
    back = request.POST.get("next") or request.headers.get("Referer") or fallback
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or "/" not in back:
        back = fallback  # "/" in it: an address, never a view name that redirect() would try to reverse
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    except RateLimited as exc:
        return render(request, "participation/rate_limited.html", {"message": str(exc), "back": back}, status=429)
    if success:
        messages.success(request, success)
    return redirect(back)


def _post_comment(request, **target):
    """Publish a comment (or a reply, `parent` in the form) on an idea or a paragraph: `target` is `idea=…` or
    `paragraph=…`. A parent that is not a comment of the same target is a 404, not an error."""
    from django.shortcuts import get_object_or_404
    from django.utils.translation import gettext as _

    from kompass.accounts.forms import client_ip
    from kompass.participation.idempotency import KEY_FIELD
    from kompass.participation.models import Comment
    from kompass.participation.services import comment_create

    parent = None
    raw = request.POST.get("parent", "")
    if raw:
        parent = get_object_or_404(Comment, pk=pk_or_404(raw), **target)
    return _act(request, lambda: comment_create(actor=request.user, parent=parent, text=request.POST.get("text", ""),
                                                ip=client_ip(request),
                                                idempotency_key=request.POST.get(KEY_FIELD), **target),
                success=_("Your comment was published."))
