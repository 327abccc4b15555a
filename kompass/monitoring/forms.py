from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompass.algorithms.progress import METHODS
from kompass.core.plausible import validate_plausible_date, value_problem
from kompass.monitoring import dated
from kompass.monitoring.labels import METHOD_LABELS
from kompass.monitoring.models import Decision, GoalAssessment

DATED_HELP = _("A year (2027), a month (12/2027) or a day (31.12.2027).")


class DatedField(forms.Field):
    """A target or baseline date as people enter it: a year, a month or a day; cleans to a `dated.Dated` that
    carries the precision (ADR 0081). A date as initial value is shown as it can be typed in again."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DATED_HELP)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "20", "inputmode": "numeric"}

    def prepare_value(self, value):
        if isinstance(value, tuple):  # (date, precision) as initial value
            return dated.entered(*value)
        if isinstance(value, dated.Dated):
            return dated.entered(value, value.precision)
        return super().prepare_value(value)

    def to_python(self, value):
        text = str(value).strip()[:40] if value is not None else ""
        if text in self.empty_values:
            return None
        try:
            return dated.parse_dated(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class MeasurementForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20,
                             help_text=_("A year (2024), a quarter (2024-Q2), a month (2024-05) or a day."))
    value = forms.CharField(label=pgettext_lazy("measured value", "Value"), max_length=40)
    district = forms.ChoiceField(label=_("District"), required=False)
    provisional = forms.BooleanField(label=_("Provisional value"), required=False)
    source_note = forms.CharField(label=_("Source note"), max_length=300, required=False)

    def __init__(self, *args, indicator, districts, **kwargs):
        super().__init__(*args, **kwargs)
        if indicator.by_district:
            self.fields["district"].choices = [("", _("whole city"))] + [(d.slug, d.display_name)
                                                                          for d in districts]
        else:
            del self.fields["district"]

    def row(self, indicator) -> dict:
        data = self.cleaned_data
        return {"_row": 1, "indicator": indicator.slug, "period": data["period"], "value": data["value"],
                "district": data.get("district") or "", "provisional": "yes" if data["provisional"] else "no",
                "source_note": data["source_note"]}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("Columns: indicator, period, value, and optionally district, provisional, "
                                       "source_note, unit."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class CycleForm(forms.Form):
    slug = forms.SlugField(label=_("Short name (for the address)"), max_length=80)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    deadline = forms.DateField(label=_("Deadline for reviews"), widget=forms.DateInput(attrs={"type": "date"}))


class ReviewForm(forms.Form):
    learned = forms.CharField(label=_("What did the team learn?"), widget=forms.Textarea(attrs={"rows": 4}))
    proposed_changes = forms.CharField(label=_("Which changes do you propose?"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"rating_{goal.pk}"] = forms.ChoiceField(
                label=_("Assessment"), choices=[("", "–"), *GoalAssessment.Rating.choices], required=False)
            self.fields[f"text_{goal.pk}"] = forms.CharField(label=_("Comment"), required=False,
                                                             widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"holds_{goal.pk}"] = forms.BooleanField(label=_("The assumption still holds"),
                                                                 required=False, initial=True)

    def goal_fields(self):
        return [(g, self[f"rating_{g.pk}"], self[f"text_{g.pk}"], self[f"holds_{g.pk}"]) for g in self.goals]

    def assessments(self) -> dict:
        data = self.cleaned_data
        return {g: (data[f"rating_{g.pk}"], data[f"text_{g.pk}"], data[f"holds_{g.pk}"])
                for g in self.goals if data.get(f"rating_{g.pk}")}


class CommentForm(forms.Form):
    group = forms.ChoiceField(label=_("On behalf of"))
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {g.slug: g for g in groups}
        self.fields["group"].choices = [(g.slug, g.name) for g in groups]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=Decision.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        methods = [("", _("unchanged"))] + [(m, METHOD_LABELS.get(m, m)) for m in METHODS]
        for ind in indicators:
            self.fields[f"target_{ind.pk}"] = forms.FloatField(label=_("New target value"), required=False)
            # as entered (ADR 0081): "2031" is a year, "06/2031" a month, "30.06.2031" a day
            self.fields[f"date_{ind.pk}"] = DatedField(label=_("New target date"), required=False,
                                                       validators=[validate_plausible_date])
            self.fields[f"method_{ind.pk}"] = forms.ChoiceField(label=_("New method"), choices=methods,
                                                                required=False)

    def indicator_fields(self):
        return [(i, self[f"target_{i.pk}"], self[f"date_{i.pk}"], self[f"method_{i.pk}"]) for i in self.indicators]

    def clean(self):
        """A new value alone keeps the current target date, a new date alone keeps the current value
        (`indicator.current_target`, set by `decision_selectors.with_current_targets`). The new target must be
        plausible (ADR 0074, the limits `add_target_version` applies): a date between 1900 and fifty years ahead
        (the field's validator) and after the baseline date, a value within the indicator's limits."""
        data = super().clean()
        for ind in self.indicators:
            target, date = f"target_{ind.pk}", f"date_{ind.pk}"
            if self.has_error(target) or self.has_error(date):
                continue
            value, day = data.get(target), data.get(date)
            if (value is None) != (day is None):
                current = getattr(ind, "current_target", None)
                if current is None:
                    self.add_error(target, _("Give both the new target value and its date."))
                    continue
                if value is None:
                    value = data[target] = current.value
                else:
                    day = data[date] = current.target_date
            if value is not None:
                self._check_target(ind, value, day)
        return data

    def _check_target(self, ind, value, day) -> None:
        if day <= ind.baseline_date:
            self.add_error(f"date_{ind.pk}", _("The target date must lie after the baseline date."))
        problem = value_problem(value, unit=ind.unit, baseline=ind.baseline_value,
                                natural_limit=ind.natural_limit, direction=ind.direction)
        if problem:
            self.add_error(f"target_{ind.pk}", problem)

    def add_error(self, field, error):
        """A service's refusal that names its own fields (`target_date`, `value`) goes above the form instead
        of raising "no field named …" (a 500)."""
        if field is None and isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                super().add_error(name if name in self.fields else None, errors)
            return
        super().add_error(field, error)

    def changes(self):
        data = self.cleaned_data
        targets = [(i, data[f"target_{i.pk}"], data[f"date_{i.pk}"]) for i in self.indicators
                   if data.get(f"target_{i.pk}") is not None and data.get(f"date_{i.pk}")]
        methods = [(i, data[f"method_{i.pk}"]) for i in self.indicators
                   if data.get(f"method_{i.pk}") and data[f"method_{i.pk}"] != i.method]
        return targets, methods


class InputsForm(forms.Form):
    """The inputs of an impact chain, one per line; an English version may follow after " | "."""

    inputs = forms.CharField(
        label=_("Inputs"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One input per line (money, staff, partners, data …). Add an English version after “|”."))

    def clean_inputs(self):
        texts = []
        for number, line in enumerate((self.cleaned_data.get("inputs") or "").splitlines(), start=1):
            if not line.strip():
                continue
            german, _sep, english = line.partition("|")
            german, english = german.strip(), english.strip()
            if not german:
                raise forms.ValidationError(_("Line %(n)s has no German text.") % {"n": number})
            if len(german) > 300 or len(english) > 300:
                raise forms.ValidationError(_("Line %(n)s is longer than 300 characters.") % {"n": number})
            texts.append((german, english))
        return texts


class GoalForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("output", _("output")), ("outcome", _("outcome")),
                                                         ("impact", _("impact"))])
    title = forms.CharField(label=_("Goal"), max_length=300)
    title_en = forms.CharField(label=_("Goal (English)"), max_length=300, required=False)
    assumption = forms.CharField(label=_("Assumption linking this goal to the level below"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    assumption_en = forms.CharField(label=_("Assumption (English)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    definition = forms.CharField(label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.CharField(label=_("Unit"), max_length=60)
    direction = forms.TypedChoiceField(label=_("Direction"), coerce=int,
                                       choices=[(1, _("higher is better")), (-1, _("lower is better"))])
    baseline_value = forms.FloatField(label=_("Baseline value"))
    baseline_date = DatedField(label=_("Baseline date"), validators=[validate_plausible_date])
    target_value = forms.FloatField(label=_("Target value"))
    target_date = DatedField(label=_("Target date"), validators=[validate_plausible_date])
    natural_limit = forms.FloatField(label=_("Natural limit (optional)"), required=False)
    method = forms.ChoiceField(label=_("Progress method"),
                               choices=[(m, METHOD_LABELS.get(m, m)) for m in METHODS], initial="open_sdg")
    data_source = forms.CharField(label=_("Data source"), max_length=300, required=False)
    cadence = forms.ChoiceField(label=_("Update cadence"), choices=[
        ("yearly", _("yearly")), ("quarterly", _("quarterly")), ("monthly", _("monthly")),
        ("irregular", _("irregular"))])
    by_district = forms.BooleanField(label=_("Breakdown by district"), required=False)

    def __init__(self, *args, team=None, **kwargs):
        """`team` (the measure's team members) adds the owner choice: who keeps the values up to date."""
        super().__init__(*args, **kwargs)
        if team is not None:
            self.team = {str(m.user_id): m.user for m in team}
            self.fields["owner"] = forms.ChoiceField(
                label=_("Owner (reminded before each update is due)"), required=False,
                choices=[("", "–"), *[(k, str(u)) for k, u in self.team.items()]])

    def clean_owner(self):
        return self.team.get(self.cleaned_data.get("owner") or "")

    def clean(self):
        data = super().clean()
        if data.get("baseline_date") and data.get("target_date") and data["target_date"] <= data["baseline_date"]:
            self.add_error("target_date", _("The target date must lie after the baseline date."))
        unit, direction = data.get("unit") or "", data.get("direction") or 1
        baseline, limit = data.get("baseline_value"), data.get("natural_limit")
        for field in ("baseline_value", "natural_limit", "target_value"):
            if field not in self.fields or data.get(field) is None:
                continue
            problem = value_problem(data[field], unit=unit, baseline=baseline, direction=direction,
                                    natural_limit=limit if field == "target_value" else None)
            if problem:
                self.add_error(field, problem)
        return data
