from django import forms
from django.utils.translation import gettext_lazy as _

from kompass.participation.idempotency import KEY_FIELD, clean_key, new_key
from kompass.participation.models import Idea


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class IdeaForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Idea.Kind.choices, initial=Idea.Kind.IDEA,
                             widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Describe your idea or challenge"), widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=10000)
    action_fields = forms.ModelMultipleChoiceField(label=_("Action fields"), queryset=None, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    districts = forms.ModelMultipleChoiceField(label=_("Districts"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    latitude = forms.FloatField(label=_("Latitude (optional)"), required=False,
                                help_text=_("A point inside the city, e.g. 52.52."))
    longitude = forms.FloatField(label=_("Longitude (optional)"), required=False,
                                 help_text=_("A point inside the city, e.g. 13.40."))
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False,
                                  widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt"}),
                                  help_text=_("PDF, PNG, JPEG or plain text, at most 5 MB each."))

    # Made when the form is rendered; sending the same form twice publishes one idea (ADR 0045).
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)  # checked by clean_key

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_fields"].queryset = strategy.action_fields.order_by("name")
        self.fields["districts"].queryset = strategy.districts.order_by("name")
        self.fields[KEY_FIELD].initial = new_key()

    def clean_idempotency_key(self):
        try:
            return clean_key(self.cleaned_data.get(KEY_FIELD))
        except forms.ValidationError as exc:  # a hidden field: the message goes above the form
            self.add_error(None, exc)
            self.renew_key()
            return None

    def renew_key(self) -> None:
        """A fresh key for the next submission (after the old one was used for a different idea)."""
        self.data = self.data.copy()
        self.data[KEY_FIELD] = new_key()
