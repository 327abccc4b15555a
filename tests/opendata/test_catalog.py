"""The DCAT-AP.de catalogue: valid against the DCAT-AP.de 3.0 shapes, complete, and served in three syntaxes."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from tests.opendata.shacl import ROOT, violations

pytestmark = pytest.mark.django_db
DCATDE_LICENCES = "http://dcat-ap.de/def/licenses/"


def _graph(client) -> Graph:
    response = client.get("/catalog.ttl")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.content, format="turtle")


def test_catalog_conforms_to_dcat_ap_de_with_no_violation(client, open_data):
    graph = _graph(client)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    titles = {str(graph.value(d, DCTERMS.identifier)) for d in datasets}
    # framework, measures, lessons, candidates, cycles, one per measure with indicators, the published panel
    assert {"berlin-gdb-strategierahmen", "berlin-gdb-massnahmen", "berlin-gdb-lessons-learned",
            "berlin-gdb-massnahmenvorschlaege", "berlin-gdb-evaluationszyklen",
            "stadtgremium-stadtgremium-test"} <= titles
    assert any(t.endswith("-wirkung") for t in titles)
    assert violations(graph) == []


def test_the_validator_finds_violations_in_a_known_bad_record():
    """The shapes are really applied: GovData's 2.0 example lacks dcterms:publisher under 3.0."""
    bad = Graph().parse(ROOT / "govdata-example-simple.ttl")
    found = violations(bad)
    assert any("publisher" in v for v in found)


def test_a_dataset_without_publisher_is_a_violation(client, berlin):
    graph = _graph(client)
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    graph.remove((dataset, DCTERMS.publisher, None))
    assert any("publisher" in v for v in violations(graph))


def test_every_dataset_has_the_metadata_harvesters_need(client, open_data):
    graph = _graph(client)
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        for prop in (DCTERMS.publisher, DCAT.contactPoint, DCTERMS.license, DCAT.theme, DCTERMS.spatial,
                     DCTERMS.accrualPeriodicity, DCTERMS.modified, DCAT.distribution):
            assert graph.value(ds, prop) is not None, (ds, prop)
        assert str(graph.value(ds, DCTERMS.license)).startswith(DCATDE_LICENCES)
        for dist in graph.objects(ds, DCAT.distribution):
            size = graph.value(dist, DCAT.byteSize)
            assert size.datatype == XSD.nonNegativeInteger and int(size) > 0
            assert str(graph.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")


def test_byte_sizes_are_the_sizes_of_the_downloads(client, open_data):
    graph = _graph(client)
    checked = 0
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(dist, DCAT.downloadURL)).removeprefix("http://testserver")
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) == int(graph.value(dist, DCAT.byteSize)), url
        checked += 1
    assert checked >= 20


def test_districts_are_the_spatial_coverage_with_official_keys(client, berlin):
    graph = _graph(client)
    mitte = URIRef("http://testserver/districts/mitte/")
    assert graph.value(mitte, DCTERMS.identifier) == Literal("11000001")
    assert graph.value(mitte, RDF.type) == DCTERMS.Location
    assert str(graph.value(mitte, DCAT.bbox)).startswith("POLYGON((13.")


def test_licence_follows_the_strategy(client, berlin):
    berlin.data_licence, berlin.data_licence_url = "", ""
    berlin.save()
    graph = _graph(client)
    assert set(graph.objects(None, DCTERMS.license)) == {URIRef(DCATDE_LICENCES + "dl-by-de/2.0")}
    berlin.data_licence, berlin.data_licence_url = "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"
    berlin.save()
    graph = _graph(client)
    assert set(graph.objects(None, DCTERMS.license)) == {URIRef(DCATDE_LICENCES + "cc-by/4.0")}


@pytest.mark.parametrize("accept,content_type", [
    ("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
    ("*/*", "text/turtle"),
])
def test_content_negotiation_on_catalog(client, berlin, accept, content_type):
    response = client.get("/catalog", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
    assert "Accept" in response["Vary"]
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}[content_type]
    graph = Graph().parse(data=response.content, format=fmt)
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) >= 5


def test_browsers_get_a_german_page(client, berlin):
    response = client.get("/catalog", HTTP_ACCEPT="text/html,application/xhtml+xml;q=0.9")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Offene-Daten-Katalog" in response.content.decode()


@pytest.mark.parametrize("url", ["/catalog.ttl", "/catalog.jsonld", "/catalog.rdf"])
def test_the_three_syntaxes_describe_the_same_graph(client, berlin, url):
    fmt = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}[url.rsplit(".", 1)[1]]
    graph = Graph().parse(data=client.get(url).content, format=fmt)
    reference = _graph(client)
    assert len(graph) == len(reference)


def test_unknown_dataset_and_table_are_404(client, berlin):
    assert client.get("/opendata/nope/datapackage.json").status_code == 404
    assert client.get("/opendata/berlin-gdb-massnahmen/nope.csv").status_code == 404
    assert client.get("/opendata/berlin-gdb-massnahmen.geojson").status_code == 404
    assert client.post("/catalog.ttl").status_code == 405
