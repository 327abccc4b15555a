from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kompass.core.plausible import validate_plausible_date
from kompass.lifecycle.models import (
    DESCRIPTION_SECTIONS,
    Candidate,
    LessonLearned,
    Mandate,
    TeamMember,
)
from kompass.lifecycle.uploads import ATTACHMENT_TYPES
from kompass.measures.models import Measure
from kompass.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COMPLETE = "__complete__"


class Prefixed:
    """Several forms share the workspace page: each gets its own id prefix (field names stay plain)."""

    id_prefix = "f"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class TransitionForm(Prefixed, forms.Form):
    id_prefix = "tr"

    to_phase = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when stepping back or overriding the exit criteria."))
    confirmed = forms.MultipleChoiceField(label=_("Criteria the team confirms"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    override = forms.BooleanField(label=_("Override unmet exit criteria (strategy office)"), required=False)

    def __init__(self, *args, phases, current, criteria, can_override, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.slug, p.display_name) for p in phases if current is None or p.pk != current.pk]
        if phases and current is not None and current.pk == phases[-1].pk:
            choices.append((COMPLETE, _("Complete the process")))
        self.fields["to_phase"].choices = choices
        checkable = [(c["name"], c["label"]) for c in criteria if c["met"] is None]
        if checkable:
            self.fields["confirmed"].choices = checkable
        else:
            del self.fields["confirmed"]
        if not can_override:
            del self.fields["override"]


class TeamMemberForm(Prefixed, forms.Form):
    id_prefix = "team"

    email = forms.EmailField(label=_("Email address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(strategy=strategy)

    def clean_email(self):
        user = get_user_model().objects.filter(email=self.cleaned_data["email"].lower(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this email address."))
        self.cleaned_data["user"] = user
        return user.email


class MandateForm(Prefixed, forms.ModelForm):
    """Also the edit form (`instance=`); the model refuses implausible dates, negative budgets and staff."""

    id_prefix = "mandate"

    class Meta:
        model = Mandate
        fields = ["given_by", "given_on", "budget_eur", "staff_fte", "notes"]
        widgets = {"given_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ATTACHMENT_TYPES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class LogbookForm(Prefixed, forms.Form):
    id_prefix = "log"

    meeting_format = forms.ChoiceField(label=_("Format"))
    held_on = forms.DateField(label=_("Date"), widget=DATE, validators=[validate_plausible_date])
    organisations = forms.ModelMultipleChoiceField(label=_("Participating organisations"), required=False,
                                                   queryset=Organisation.objects.none(),
                                                   widget=forms.SelectMultiple(attrs={"size": 6}))
    outcomes = forms.CharField(label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Attachments"), required=False,
                                    help_text=_("PDF, PNG, JPEG, ODT, DOCX, XLSX or CSV, at most 10 MB each."))

    def __init__(self, *args, strategy, formats, **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = {f.slug: f for f in formats}
        self.fields["meeting_format"].choices = [(f.slug, f.display_name) for f in formats]
        self.fields["organisations"].queryset = Organisation.objects.filter(strategy=strategy)

    def clean_meeting_format(self):
        return self.formats[self.cleaned_data["meeting_format"]]


class DescriptionForm(forms.Form):
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    def __init__(self, *args, initial_sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in DESCRIPTION_SECTIONS:
            self.fields[key] = forms.CharField(label=label, required=False,
                                               initial=(initial_sections or {}).get(key, ""),
                                               widget=forms.Textarea(attrs={"rows": 4}))
        self.order_fields([key for key, _l in DESCRIPTION_SECTIONS] + ["note"])


class MilestoneForm(Prefixed, forms.Form):
    id_prefix = "ms"

    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, validators=[validate_plausible_date])
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = {str(m.user_id): m.user for m in team}
        self.fields["owner"].choices = [("", "–"), *[(k, str(u)) for k, u in self.team.items()]]

    def clean_owner(self):
        return self.team.get(self.cleaned_data.get("owner") or "")


class MilestoneEditForm(MilestoneForm):
    id_prefix = "msedit"

    done_on = forms.DateField(label=_("Done on"), widget=DATE, required=False,
                              validators=[validate_plausible_date])

    def __init__(self, *args, team, milestone=None, **kwargs):
        if milestone is not None and not args:
            kwargs.setdefault("initial", {"title": milestone.title, "due_on": milestone.due_on,
                                          "owner": str(milestone.owner_id or ""), "done_on": milestone.done_on})
        super().__init__(*args, team=team, **kwargs)


class InvitationForm(Prefixed, forms.Form):
    id_prefix = "invite"

    email = forms.EmailField(label=_("Email address of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(strategy=strategy)


class LessonForm(Prefixed, forms.ModelForm):
    id_prefix = "lesson"

    class Meta:
        model = LessonLearned
        fields = ["title", "what_worked", "what_did_not", "recommendation", "tags"]
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in ("what_worked", "what_did_not", "recommendation")}


class ReplicationForm(Prefixed, forms.Form):
    id_prefix = "rep"

    original = forms.SlugField(label=_("Replicates the measure (its address name, e.g. kiezbox-2-0)"),
                               required=False, max_length=120,
                               help_text=_("Leave empty when the measure replicates no other measure."))

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure

    def clean_original(self):
        slug = self.cleaned_data.get("original") or ""
        if not slug:
            return None
        original = Measure.objects.filter(strategy_id=self.measure.strategy_id, slug=slug).first()
        if original is None:
            raise forms.ValidationError(_("No measure has this address name."))
        return original


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    source = forms.ChoiceField(label=_("Proposed by"), choices=[
        (Candidate.Source.ADMINISTRATION, _("the administration")),
        (Candidate.Source.EXTERNAL, _("an outside partner (business, science, civil society)"))])
    organisation = forms.ModelChoiceField(label=_("Proposing organisation"), queryset=Organisation.objects.none(),
                                          required=False)
    source_url = forms.URLField(label=_("Link to more information"), required=False)

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(strategy=strategy)


class AssessmentForm(Prefixed, forms.Form):
    id_prefix = "assess"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.slug}"] = forms.TypedChoiceField(
                label=_("Score for “%(name)s”") % {"name": c.display_name}, coerce=int, required=False,
                choices=[("", "–"), *[(str(i), str(i)) for i in range(5)]])
            self.fields[f"why_{c.slug}"] = forms.CharField(
                label=_("Justification for “%(name)s”") % {"name": c.display_name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        self.scores = []
        for c in self.criteria:
            score, why = data.get(f"score_{c.slug}"), (data.get(f"why_{c.slug}") or "").strip()
            if score in (None, ""):
                continue
            if not why:
                self.add_error(f"why_{c.slug}", _("Every score needs a justification."))
            self.scores.append((c, score, why))
        if not self.scores and not self.errors:
            raise forms.ValidationError(_("Score at least one criterion."))
        return data


class DecisionForm(Prefixed, forms.Form):
    id_prefix = "decide"

    decision = forms.ChoiceField(label=_("Decision"), choices=[
        (Candidate.Status.ADMITTED, _("admit")), (Candidate.Status.REJECTED, _("reject")),
        (Candidate.Status.DEFERRED, _("defer"))], widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Public reason"), widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.ModelChoiceField(label=_("Responsible organisation (when admitted)"),
                                          queryset=Organisation.objects.none(), required=False)
    measure_type = forms.ChoiceField(label=_("Type of the new measure"), required=False,
                                     choices=[("", "–"), *Measure.Type.choices])

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(strategy=strategy)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX or CSV)"))
