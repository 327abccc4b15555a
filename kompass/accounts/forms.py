from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kompass.accounts import throttle
from kompass.core.clientip import client_ip

__all__ = ["client_ip", "ThrottledAuthenticationForm", "RegistrationForm", "AccountSettingsForm"]


class ThrottledAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True,
                                                                                       "autocomplete": "email"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email address and password do not match. The password is case-sensitive."),
    }

    def clean(self):
        email = throttle.normalise(self.cleaned_data.get("username"))
        self.locked_seconds = 0
        if email:
            self.cleaned_data["username"] = email  # addresses are stored in lower case
        last_slot = False
        if email:
            try:
                last_slot = throttle.take_attempt(email)
            except throttle.LockedOut as exc:
                self.locked_seconds = exc.seconds
                raise forms.ValidationError(str(exc), code="throttled") from None
        try:
            cleaned = super().clean()  # django-axes records the failure
        except forms.ValidationError:
            if last_slot:
                self.locked_seconds = throttle.lock_out(email)
                raise forms.ValidationError(throttle.lockout_message(self.locked_seconds),
                                            code="throttled") from None
            raise
        throttle.reset(email)
        return cleaned


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    display_name = forms.CharField(
        label=_("Display name"), max_length=80,
        help_text=_("Shown next to your contributions instead of your email address. A pseudonym is fine."))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    language = forms.ChoiceField(label=_("Language"), choices=[("de", "Deutsch"), ("en", "English")])
    accept = forms.BooleanField(label=_("I accept the community guidelines."))

    def clean_email(self):
        # Whether the address has an account is not revealed here: citizen_register emails its owner instead.
        return self.cleaned_data["email"].strip().lower()

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if "@" in name:
            raise forms.ValidationError(_("Please do not use an email address as display name."))
        return name

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class AccountSettingsForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    language = forms.ChoiceField(label=_("Language"), choices=[("de", "Deutsch"), ("en", "English")])
    email_digest = forms.ChoiceField(label=_("Email digest of news on what you follow"), choices=[
        ("none", _("no emails")), ("daily", _("daily")), ("weekly", _("weekly"))])
    notify_in_app = forms.BooleanField(label=_("Show notifications on the site"), required=False)
