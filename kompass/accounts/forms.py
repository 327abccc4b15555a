from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kompass.accounts import throttle
from kompass.core.clientip import client_ip

__all__ = ["client_ip", "ThrottledAuthenticationForm", "ResendConfirmationForm", "RegistrationForm",
           "AccountSettingsForm"]


class ThrottledAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True,
                                                                                       "autocomplete": "email"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Email address and password do not match. The password is case-sensitive."),
        "unconfirmed": _("You have not confirmed your email address yet. Open the link in the email we sent you, "
                         "or have a new link sent below."),
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
        except forms.ValidationError as exc:
            if self._unconfirmed(email):
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from exc
            if last_slot:
                self.locked_seconds = throttle.lock_out(email)
                raise forms.ValidationError(throttle.lockout_message(self.locked_seconds),
                                            code="throttled") from None
            raise
        throttle.reset(email)
        return cleaned

    def _unconfirmed(self, email: str) -> bool:
        """The right password for an account whose email address is not confirmed yet: say so (only the owner,
        who knows the password, learns that the account exists) instead of "do not match"."""
        from kompass.accounts.models import User

        password = self.cleaned_data.get("password") or ""
        user = User.objects.filter(email=email, is_active=False, is_blocked=False).first() if email else None
        return bool(user and password and user.last_login is None and user.check_password(password))


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


# The password rules (from AUTH_PASSWORD_VALIDATORS, in the reader's language) are shown before submitting.
PASSWORD_RULES = lazy(password_validation.password_validators_help_text_html, str)()


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    display_name = forms.CharField(
        label=_("Display name"), max_length=80,
        help_text=_("Shown next to your contributions instead of your email address. A pseudonym is fine."))
    password = forms.CharField(label=_("Password"), strip=False, help_text=PASSWORD_RULES,
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
