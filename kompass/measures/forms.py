from django import forms
from django.utils.translation import gettext_lazy as _

from kompass.core.widgets import FastSelect
from kompass.measures.filters import catalogue_filters
from kompass.measures.models import Measure
from kompass.measures.selectors import BOOLEAN_CHOICES, SORTS, CatalogueOptions
from kompass.organisations.models import Organisation
from kompass.strategy.models import ActionField, District


class CatalogueFilterForm(forms.Form):
    """Renders the catalogue filters; validation is done by `selectors.parse_catalogue_params`."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, data, options: CatalogueOptions):
        super().__init__(data)
        any_ = [("", _("all"))]
        yes_no = [*any_, *[(k, _("yes") if v else _("no")) for k, v in BOOLEAN_CHOICES.items()]]

        def named(items):
            return [*any_, *[(i.slug, i.display_name) for i in items]]

        self.fields["type"] = forms.ChoiceField(label=_("Type"), required=False,
                                                choices=[*any_, *Measure.Type.choices])
        self.fields["status"] = forms.ChoiceField(label=_("Status"), required=False,
                                                  choices=[*any_, *Measure.Status.choices])
        self.fields["district"] = forms.ChoiceField(label=_("District"), required=False,
                                                    choices=named(options.districts))
        self.fields["action_field"] = forms.ChoiceField(
            label=_("Action field"), required=False,
            choices=[*any_, *[(c.display_name, [(a.slug, a.display_name) for a in fields])
                              for c, fields in _group_by_cluster(options.action_fields)]])
        self.fields["value"] = forms.ChoiceField(label=_("Value"), required=False, choices=named(options.values))
        self.fields["perspective"] = forms.ChoiceField(label=_("Future perspective"), required=False,
                                                       choices=named(options.perspectives))
        self.fields["organisation"] = forms.ChoiceField(
            label=_("Organisation"), required=False,
            choices=[*any_, *[(o.slug, o.abbreviation or o.display_name) for o in
                              sorted(options.organisations, key=lambda o: (o.abbreviation or o.name).lower())]])
        for registered in catalogue_filters():  # e.g. the lifecycle's phase filter
            if options.extra(registered.param):
                self.fields[registered.param] = forms.ChoiceField(
                    label=registered.label, required=False, choices=named(options.extra(registered.param)))
        self.fields["pilot"] = forms.ChoiceField(label=_("Pilot measure"), required=False, choices=yes_no)
        self.fields["sort"] = forms.ChoiceField(label=_("Sort by"), required=False,
                                                choices=[(k, label) for k, (label, _o) in SORTS.items()])
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget = FastSelect(choices=field.choices)


def _group_by_cluster(action_fields):
    groups: dict = {}
    for field in action_fields:
        groups.setdefault(field.cluster, []).append(field)
    return list(groups.items())


class MeasureForm(forms.ModelForm):
    """The measure editor for coordinators and the strategy office."""

    class Meta:
        model = Measure
        fields = [
            "title", "title_en", "title_ls", "measure_type", "status", "summary", "summary_en", "summary_ls",
            "description", "description_en", "description_ls", "responsible_organisation",
            "involved_organisations", "districts", "action_fields", "spatial_level", "start_date", "end_date",
            "is_pilot", "participation", "participation_en", "impact", "impact_en", "contact_role",
            "contact_email", "contact_url", "is_example",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "involved_organisations": forms.SelectMultiple(attrs={"size": 8}),
            "districts": forms.CheckboxSelectMultiple,
            "action_fields": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, strategy, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(strategy=strategy)
        self.fields["responsible_organisation"].queryset = organisations if organisations is not None else orgs
        self.fields["involved_organisations"].queryset = orgs
        self.fields["districts"].queryset = District.objects.filter(strategy=strategy)
        self.fields["action_fields"].queryset = ActionField.objects.filter(strategy=strategy)
        self.fields["spatial_level"].queryset = strategy.spatial_levels.all()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end lies before the start."))
        return data
