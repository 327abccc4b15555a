from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kompass.accounts.services import login_blocked, record_login_failure


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class ThrottledAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True,
                                                                                       "autocomplete": "email"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Please wait a few minutes before you try again."),
        "invalid_login": _("Email address and password do not match. The password is case-sensitive."),
    }

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if email:
            self.cleaned_data["username"] = email  # addresses are stored in lower case
        ip = client_ip(self.request)
        if login_blocked(email, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            record_login_failure(email, ip)
            raise
