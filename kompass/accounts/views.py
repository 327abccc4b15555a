from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.accounts import throttle
from kompass.accounts.forms import client_ip
from kompass.accounts.models import ApiToken, blocked_message
from kompass.accounts.services import api_token_create, api_token_revoke
from kompass.core.ratelimit import RateLimited, check_rate
from kompass.core.urls import absolute_url


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


# --- citizen accounts ----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def register(request):
    from kompass.accounts.forms import RegistrationForm
    from kompass.accounts.services import citizen_register

    if request.user.is_authenticated:
        return redirect("/")
    form = RegistrationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen_register(email=data["email"], password=data["password"], display_name=data["display_name"],
                             language=data["language"], ip=client_ip(request),
                             verify_url_builder=_verify_url_builder(request),
                             login_url=absolute_url(reverse("accounts:login"), request),
                             reset_url=absolute_url(reverse("accounts:password_reset"), request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            return render(request, "accounts/register.html", {"form": form}, status=429)
        return render(request, "accounts/register_sent.html", {"email": data["email"]})
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def verify(request, token):
    from kompass.accounts.services import citizen_verify

    if request.method == "POST":
        user = citizen_verify(token=token)
        if user is None:
            return render(request, "accounts/verify.html", {"invalid": True}, status=400)
        messages.success(request, _("Your email address is confirmed. You can log in now."))
        return redirect("accounts:login")
    return render(request, "accounts/verify.html", {"token": token})


def _verify_url_builder(request):
    return lambda token: absolute_url(reverse("accounts:verify", args=[token]), request)


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    """A new confirmation link for an account that is not confirmed yet (same answer whether or not it exists)."""
    from kompass.accounts.forms import ResendConfirmationForm
    from kompass.accounts.services import citizen_resend_verification

    form = ResendConfirmationForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and form.is_valid():
        try:
            citizen_resend_verification(email=form.cleaned_data["email"], ip=client_ip(request),
                                        verify_url_builder=_verify_url_builder(request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            return render(request, "accounts/resend.html", {"form": form}, status=429)
        return render(request, "accounts/register_sent.html", {"email": form.cleaned_data["email"],
                                                               "resent": True})
    return render(request, "accounts/resend.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    from kompass.accounts.forms import AccountSettingsForm
    from kompass.accounts.services import account_update_settings

    user = request.user
    form = AccountSettingsForm(request.POST or None, initial={
        "display_name": user.display_name, "language": user.language, "email_digest": user.email_digest,
        "notify_in_app": user.notify_in_app})
    if request.method == "POST" and form.is_valid():
        account_update_settings(actor=user, user=user, data=form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def my_data(request):
    import json

    from django.http import HttpResponse

    from kompass.accounts.services import account_personal_data

    data = account_personal_data(actor=request.user, user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-kompass-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    from django.contrib.auth import logout

    from kompass.accounts.services import account_delete

    error = ""
    if request.method == "POST":
        if request.user.check_password(request.POST.get("password", "")):
            user = request.user
            logout(request)
            account_delete(actor=user, user=user)
            messages.success(request, _("Your account was deleted. Your contributions remain without your name."))
            return redirect("/")
        error = _("The password is not correct.")
    return render(request, "accounts/delete.html", {"error": error}, status=400 if error else 200)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view answers the same whether or not the address has an account (it mails only owners);
    this adds per-address and per-IP limits on the shared counter, answered with 429."""

    def form_valid(self, form):
        try:
            check_rate(form.cleaned_data["email"].strip().lower(), "password_reset", client_ip(self.request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class LanguageAwareLoginView(LoginView):
    """After login, people land in the language they chose in their settings (German paths have no prefix,
    English ones start with /en/)."""

    def form_invalid(self, form):
        if form.has_error("__all__", "throttled"):
            return throttle.lockout_response(self.request, form.locked_seconds)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["unconfirmed"] = bool(form is not None and form.is_bound and form.has_error("__all__", "unconfirmed"))
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if user.is_blocked:
            messages.warning(request=self.request, message=blocked_message(user))
        return response

    def get_success_url(self):
        url = super().get_success_url()
        preferred = getattr(self.request.user, "language", "") or ""
        if preferred and preferred != (translation.get_language() or "de")[:2]:
            url = translate_url(url, preferred)
        return url
