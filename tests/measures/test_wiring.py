"""The measures app owns its URLs, templates and rules; apps above it plug in through registries."""

import pytest
import rules
from django.urls import NoReverseMatch, resolve, reverse

from kompass.measures import filters
from kompass.measures.forms import CatalogueFilterForm
from kompass.measures.selectors import CatalogueOptions, catalogue, filter_params, parse_catalogue_params

pytestmark = pytest.mark.django_db

NAMES = [("catalogue", []), ("catalogue_csv", []), ("measure_create", []), ("measure", ["x"]),
         ("measure_edit", ["x"])]


@pytest.mark.parametrize(("name", "args"), NAMES)
def test_measure_pages_resolve_in_the_measures_namespace_only(name, args):
    path = reverse(f"measures:{name}", args=args)
    with pytest.raises(NoReverseMatch):  # the old portal aliases are gone
        reverse(f"portal:{name}", args=args)
    match = resolve(path)
    assert (match.namespace, match.url_name) == ("measures", name)
    assert match.func.__module__ == "kompass.measures.views"


def test_measure_templates_live_in_the_measures_app():
    from django.template.loader import get_template

    for name in ("catalogue", "_card", "_results", "detail", "edit"):
        origin = get_template(f"measures/{name}.html").origin.name
        assert "/kompass/measures/templates/measures/" in origin, origin


def test_each_app_registers_its_own_permissions():
    # Registered once (rules.add_perm raises on a duplicate), by the owning app's rules module.
    for perm in ("measures.add_measure", "measures.change_measure", "measures.delete_measure"):
        assert rules.perm_exists(perm)
    assert rules.perm_exists("strategy.edit_framework")
    import kompass.accounts.rules as account_rules

    assert "measures.change_measure" not in open(account_rules.__file__, encoding="utf-8").read()


def test_lifecycle_registers_the_phase_filter(berlin):
    assert "phase" in filter_params()
    options = CatalogueOptions(berlin)
    first = options.phases[0]
    form = CatalogueFilterForm({}, options)
    fields = list(form.fields)
    assert fields.index("organisation") < fields.index("phase") < fields.index("pilot")
    assert [slug for slug, _label in form.fields["phase"].choices][1:] == [p.slug for p in options.phases]
    query = parse_catalogue_params({"phase": first.slug}, options)
    assert query.filters == {"phase": first} and not query.errors
    # Measures without a lifecycle record are in the first phase.
    from kompass.lifecycle.models import MeasureLifecycle

    phase_of = dict(MeasureLifecycle.objects.filter(measure__strategy=berlin).values_list("measure_id", "phase_id"))
    for phase in options.phases:
        expected = {m.pk for m in berlin.measures.all() if phase_of.get(m.pk, first.pk) == phase.pk}
        found = set(catalogue(berlin, parse_catalogue_params({"phase": phase.slug}, options)).values_list(
            "pk", flat=True))
        assert found == expected, phase.slug


def test_an_unknown_phase_is_named_in_the_error(berlin):
    query = parse_catalogue_params({"phase": "gibt-es-nicht"}, CatalogueOptions(berlin))
    assert query.filters == {}
    assert str(query.errors["phase"]) == "Unbekannter Wert „gibt-es-nicht“ für den Filter „Phase“."


def test_a_registered_filter_is_validated_and_applied(berlin, monkeypatch, pilot):
    monkeypatch.setattr(filters, "_FILTERS", dict(filters._FILTERS))

    class Item:
        def __init__(self, slug):
            self.slug, self.display_name = slug, slug.upper()

    filters.register_catalogue_filter(filters.CatalogueFilter(
        "only", "Nur", options=lambda strategy: [Item(pilot.slug)],
        apply=lambda qs, item, strategy: qs.filter(slug=item.slug)))
    options = CatalogueOptions(berlin)
    query = parse_catalogue_params({"only": pilot.slug}, options)
    assert [m.slug for m in catalogue(berlin, query)] == [pilot.slug]
    assert str(parse_catalogue_params({"only": "nope"}, options).errors["only"]) == (
        "Unbekannter Wert „nope“ für den Filter „Nur“.")
    assert "only" in CatalogueFilterForm({}, options).fields
