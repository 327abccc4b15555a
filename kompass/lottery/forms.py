"""Forms of the panel process; fields per quota category are built from the panel's categories."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompass.algorithms.sortition import ALGORITHMS


def key(cat: str, val: str | None = None, kind: str = "") -> str:
    base = f"{cat}" if val is None else f"{cat}__{val}"
    return f"q__{base}__{kind}" if kind else f"f__{base}"


class PanelForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short name (in the address)"), max_length=60)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    purpose = forms.CharField(label=_("Purpose of the data processing"), widget=forms.Textarea(attrs={"rows": 3}))
    retention_date = forms.DateField(label=_("Delete personal data after"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    size = forms.IntegerField(label=_("Panel size"), min_value=1, max_value=1000, initial=70)
    categories = forms.CharField(
        label=_("Quota categories"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: “category: value, value, …”, e.g. “gender: female, male, diverse”."))
    algorithm = forms.ChoiceField(label=_("Algorithm"), choices=[(a, a) for a in ALGORITHMS if a != "legacy"],
                                  initial="leximin")


class InvitationDrawForm(forms.Form):
    register = forms.FileField(label=_("Register extract (CSV or XLSX)"))
    count = forms.IntegerField(label=_("Number of invitations"), min_value=1, initial=3000)
    strata = forms.CharField(label=_("Strata columns"), initial="district",
                             help_text=_("Comma-separated column names, e.g. “district, gender, age_group”."))
    seed = forms.CharField(label=_("Seed"), max_length=200)
    id_column = forms.CharField(label=_("Id column"), required=False, max_length=100)

    def clean_strata(self):
        cols = [c.strip() for c in self.cleaned_data["strata"].split(",") if c.strip()]
        if not cols:
            raise ValidationError(_("Name at least one column."))
        return cols


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Respondents from the registry office (CSV or XLSX)"))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=20)


class RegistrationForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    address = forms.CharField(label=_("Address"), max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        for cat, values in panel.categories.items():
            self.fields[key(cat)] = forms.ChoiceField(label=cat, choices=[("", "–")] + [(v, v) for v in values])
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree that my data are processed for the purpose stated above and deleted after %(date)s.")
            % {"date": panel.retention_date.strftime("%d.%m.%Y")})

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")):
            raise ValidationError(_("Give an email address or a phone number so that we can reach you."))
        return data

    def features(self) -> dict:
        return {cat: self.cleaned_data.get(key(cat), "") for cat in self.panel.categories}


class QuotaForm(forms.Form):
    """Population shares (percent) with a tolerance → suggested min/max; and the editable min/max themselves."""

    size = forms.IntegerField(label=_("Panel size"), min_value=1, max_value=1000)
    tolerance = forms.IntegerField(label=_("Tolerance (people)"), min_value=0, max_value=100, initial=1)

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.fields["size"].initial = panel.size
        self.rows = []
        for cat, values in panel.categories.items():
            for v in values:
                share = (panel.population_shares.get(cat) or {}).get(v)
                lo, hi = (panel.quotas.get(cat) or {}).get(v, (None, None))
                self.fields[key(cat, v, "share")] = forms.DecimalField(
                    label=_("Population share of %(cat)s = %(value)s (%%)") % {"cat": cat, "value": v},
                    min_value=0, max_value=100, decimal_places=2, required=False,
                    initial=None if share is None else round(100 * share, 2))
                self.fields[key(cat, v, "min")] = forms.IntegerField(
                    label=_("Minimum for %(cat)s = %(value)s") % {"cat": cat, "value": v}, min_value=0,
                    required=False, initial=lo)
                self.fields[key(cat, v, "max")] = forms.IntegerField(
                    label=_("Maximum for %(cat)s = %(value)s") % {"cat": cat, "value": v}, min_value=0,
                    required=False, initial=hi)
                self.rows.append((cat, v))
        for f in self.fields.values():  # the page lays these out itself (a table); KERN's input class
            f.widget.attrs.setdefault("class", "kern-form-input__input")

    def bound_rows(self):
        return [{"category": c, "value": v, "share": self[key(c, v, "share")], "min": self[key(c, v, "min")],
                 "max": self[key(c, v, "max")]} for c, v in self.rows]

    def shares(self) -> dict:
        out: dict = {}
        for c, v in self.rows:
            s = self.cleaned_data.get(key(c, v, "share"))
            if s is not None:
                out.setdefault(c, {})[v] = float(s) / 100
        return out

    def quotas(self) -> dict:
        out: dict = {}
        for c, v in self.rows:
            out.setdefault(c, {})[v] = (self.cleaned_data.get(key(c, v, "min")),
                                        self.cleaned_data.get(key(c, v, "max")))
        return out


class SeedForm(forms.Form):
    seed = forms.CharField(label=_("Public seed"), max_length=200,
                           help_text=_("For example the numbers of a live dice roll, separated by spaces."))


class ReplaceForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym of the member who left"), max_length=20)
    seed = forms.CharField(label=_("Public seed"), max_length=200)


class PurgeForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand that the personal data of this panel are deleted for good."))
