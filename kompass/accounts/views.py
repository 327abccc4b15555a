from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kompass.accounts.models import ApiToken
from kompass.accounts.services import api_token_create, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    secret = None
    error = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()
        if not name:
            error = _("Give the token a name, e.g. the program that uses it.")
        else:
            _token, secret = api_token_create(actor=request.user, user=request.user, name=name)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "secret": secret, "error": error},
                  status=400 if error else 200)


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")
