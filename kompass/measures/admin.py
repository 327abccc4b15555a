from django.contrib import admin
from django.db import transaction

from kompass.core.admin import OfficeAdminMixin, OfficeInlineMixin
from kompass.measures.models import Measure, MeasurePerspective, MeasureValue
from kompass.measures.services import SCALAR_FIELDS, MeasureRelations, measure_create, measure_update


class ValueInline(OfficeInlineMixin, admin.TabularInline):
    model = MeasureValue
    extra = 0


class PerspectiveInline(OfficeInlineMixin, admin.TabularInline):
    model = MeasurePerspective
    extra = 0


@admin.register(Measure)
class MeasureAdmin(OfficeAdminMixin, admin.ModelAdmin):
    list_display = ["title", "measure_type", "status", "responsible_organisation", "is_pilot", "is_example"]
    list_filter = ["strategy", "measure_type", "status", "is_pilot", "is_example"]
    search_fields = ["title", "title_en", "slug"]
    autocomplete_fields = ["responsible_organisation", "involved_organisations"]
    filter_horizontal = ["districts", "action_fields"]
    inlines = [ValueInline, PerspectiveInline]
    list_select_related = ["responsible_organisation"]

    def save_model(self, request, obj, form, change):
        """Route the scalar fields through the measure service (audited); relations follow in save_related."""
        data = {name: form.cleaned_data[name] for name in SCALAR_FIELDS if name in form.cleaned_data}
        if change:
            fresh = Measure.objects.get(pk=obj.pk)
            measure_update(actor=request.user, measure=fresh, data=data)
        else:
            created = measure_create(actor=request.user, strategy=form.cleaned_data["strategy"],
                                     slug=form.cleaned_data["slug"], data=data)
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Relations and the value/perspective inlines go through the service too (one audited change)."""
        links = {MeasureValue: {}, MeasurePerspective: {}}
        for formset in formsets:
            key = "value" if formset.model is MeasureValue else "perspective"
            for sub_form in formset.forms:
                data = getattr(sub_form, "cleaned_data", None)
                if data and not data.get("DELETE") and data.get(key):
                    links[formset.model][data[key]] = data["strength"]
        with transaction.atomic():
            measure = Measure.objects.get(pk=form.instance.pk)
            measure_update(actor=request.user, measure=measure, data={}, relations=MeasureRelations(
                involved_organisations=list(form.cleaned_data.get("involved_organisations", [])),
                districts=list(form.cleaned_data.get("districts", [])),
                action_fields=list(form.cleaned_data.get("action_fields", [])),
                values=links[MeasureValue], set_values=True,
                perspectives=links[MeasurePerspective], set_perspectives=True,
            ))
        for formset in formsets:  # the admin's change message reads what formset.save() would have set
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
