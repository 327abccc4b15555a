"""The measures catalogue: filters, search, sorting, pagination, notices and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompass.core.text import fold
from kompass.measures.models import Measure
from kompass.measures.selectors import CatalogueOptions, catalogue, parse_catalogue_params
from tests.factories import add_measures

pytestmark = pytest.mark.django_db
URL = reverse("measures:catalogue")


def slugs(response):
    return [m.slug for m in response.context["page"].object_list]


def test_catalogue_lists_measures_with_count(client, berlin):
    response = client.get(URL)
    assert response.status_code == 200
    total = berlin.measures.count()
    assert response.context["page"].paginator.count == total
    assert f"{total} Maßnahmen gefunden" in response.content.decode()


@pytest.mark.parametrize("param", ["district", "action_field", "value", "perspective", "organisation"])
def test_each_relation_filter_keeps_only_matching_measures(client, berlin, param):
    options = CatalogueOptions(berlin)
    item = next(i for i in options.by_slug(param).values()
                if catalogue(berlin, parse_catalogue_params({param: i.slug}, options)).exists())
    response = client.get(URL, {param: item.slug})
    found = set(slugs(response))
    assert found
    relation = {"district": "districts", "action_field": "action_fields", "value": "values",
                "perspective": "perspectives"}.get(param)
    for measure in Measure.objects.filter(strategy=berlin, slug__in=found):
        if relation:
            assert getattr(measure, relation).filter(pk=item.pk).exists()
        else:
            assert (measure.responsible_organisation_id == item.pk
                    or measure.involved_organisations.filter(pk=item.pk).exists())
    assert response.context["page"].paginator.count < berlin.measures.count()


@pytest.mark.parametrize(("param", "value", "field", "expected"), [
    ("type", "network", "measure_type", "network"), ("status", "running", "status", "running"),
    ("pilot", "yes", "is_pilot", True), ("pilot", "no", "is_pilot", False), ("example", "no", "is_example", False),
])
def test_choice_filters(client, berlin, param, value, field, expected):
    response = client.get(URL, {param: value})
    page = response.context["page"]
    assert page.paginator.count == berlin.measures.filter(**{field: expected}).count() > 0
    assert all(getattr(m, field) == expected for m in page.object_list)


def test_filters_combine(client, berlin):
    pilot = berlin.measures.filter(is_pilot=True).prefetch_related("districts").first()
    district = pilot.districts.first()
    response = client.get(URL, {"pilot": "yes", "district": district.slug})
    assert pilot.slug in slugs(response)
    assert all(m.is_pilot for m in response.context["page"].object_list)


def test_unknown_filter_value_shows_notice_not_500(client, berlin):
    response = client.get(URL, {"district": "atlantis", "sort": "sideways", "status": "done"})
    assert response.status_code == 200
    assert set(response.context["query"].errors) == {"district", "sort", "status"}
    assert b"atlantis" in response.content and b'role="alert"' in response.content
    # The unknown filters are ignored: everything is listed.
    assert response.context["page"].paginator.count == berlin.measures.count()


def test_search_finds_by_title_word_and_is_case_insensitive(client, pilot):
    word = max(pilot.title.split(), key=len)
    response = client.get(URL, {"q": word.upper()})
    assert pilot.slug in slugs(response)
    assert response.context["query"].sort == "relevance"


def test_search_with_umlaut(client, berlin):
    measure = berlin.measures.filter(title__regex=r"[äöüÄÖÜ]").first() or berlin.measures.filter(
        summary__regex=r"[äöü]").first()
    word = next(w for w in (measure.title + " " + measure.summary).split() if any(c in w for c in "äöüÄÖÜ"))
    word = word.strip(".,:;()\"'")
    response = client.get(URL, {"q": word})
    assert measure.slug in slugs(response)


def test_search_without_hits_shows_empty_state(client):
    response = client.get(URL, {"q": "xylophonquartett"})
    assert response.context["page"].paginator.count == 0
    assert b'class="empty"' in response.content


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_search_uses_german_stemming(client, berlin):
    measure = berlin.measures.filter(title__icontains="Beteiligung").first() or berlin.measures.first()
    # "Bürgerhaushalts" stems to the same lexeme as "Bürgerhaushalt".
    measure.search_document += "\nbuergerhaushalts"  # stored umlaut-folded (core.text.fold)
    measure.save()
    response = client.get(URL, {"q": "Bürgerhaushalt"})
    assert measure.slug in slugs(response)


POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'")
WEBSEARCH_QUERIES = ["wasser", "Digitalisierung Verwaltung", '"digitale verwaltung"', "schule OR bildung",
                     "daten -offene", "bürgerhaushalt", "Beteiligungen", "und", "   "]


def _raw_sql_search(strategy, q):
    """The query the catalogue ran before django.contrib.postgres.search (ADR 0006): the reference."""
    sql = ("SELECT slug, ts_rank(to_tsvector('german'::regconfig, search_document), "
           "websearch_to_tsquery('german'::regconfig, %s)) FROM measures_measure WHERE strategy_id = %s AND "
           "to_tsvector('german'::regconfig, search_document) @@ websearch_to_tsquery('german'::regconfig, %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [fold(q), strategy.pk, fold(q)])  # the document and the query are umlaut-folded
        return {slug: rank for slug, rank in cursor.fetchall()}


@POSTGRES
@pytest.mark.parametrize("q", WEBSEARCH_QUERIES)
def test_postgres_search_finds_and_ranks_like_the_raw_sql_reference(berlin, q):
    options = CatalogueOptions(berlin)
    query = parse_catalogue_params({"q": q, "sort": "relevance"}, options)
    found = list(catalogue(berlin, query)) if query.q else []
    expected = _raw_sql_search(berlin, q) if query.q else {}
    assert {m.slug: m.rank for m in found} == pytest.approx(expected)
    ranks = [m.rank for m in found]
    assert ranks == sorted(ranks, reverse=True)


@POSTGRES
def test_postgres_search_uses_the_gin_index(berlin):
    from kompass.measures.selectors import _search

    qs = _search(Measure.objects.all(), "wasser", rank=False)  # the search condition alone
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "measures_measure_search_de2" in plan, plan


@pytest.mark.parametrize("sort", ["title", "newest", "oldest", "status"])
def test_sorting(client, berlin, sort):
    response = client.get(URL, {"sort": sort, "example": "no"})
    items = list(response.context["page"].object_list)
    assert len(items) >= 2
    keys = {"title": lambda m: m.title, "status": lambda m: m.status,
            "newest": lambda m: -m.start_date.toordinal() if m.start_date else 1,
            "oldest": lambda m: m.start_date.toordinal() if m.start_date else 10**9}
    values = [keys[sort](m) for m in items]
    assert values == sorted(values)  # measures without a start date come last in both directions


def test_pagination_and_shareable_urls(client, berlin):
    add_measures(berlin, 30)
    first = client.get(URL, {"type": "decentral"})
    second = client.get(URL, {"type": "decentral", "page": 2})
    assert first.context["page"].has_next()
    assert not set(slugs(first)) & set(slugs(second))
    # The next-page link keeps the filter.
    assert b'href="?type=decentral&amp;page=2" rel="next"' in first.content
    # Out-of-range pages show the last page instead of an error.
    assert client.get(URL, {"page": 999}).status_code == 200
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_htmx_request_gets_only_the_results(client):
    response = client.get(URL, {"status": "running"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b"measure-list" in response.content


def test_csv_download_respects_filters(client, berlin):
    response = client.get(reverse("measures:catalogue_csv"), {"pilot": "yes"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().strip().splitlines()
    assert len(rows) - 1 == berlin.measures.filter(is_pilot=True).count()


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"district": "mitte"}, {"q": "daten"}, {"organisation": "skzl"}])
def test_catalogue_query_count_does_not_grow_with_data(client, berlin, params):
    before = _queries(client, URL, params)
    add_measures(berlin, 60)
    assert _queries(client, URL, params) == before
