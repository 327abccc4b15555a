"""The DCAT-AP.de 3.0 catalogue of a strategy's public datasets, built with rdflib.

Every dataset of `datasets.all_datasets` becomes a dcat:Dataset with publisher, contact point, licence (from the
DCAT-AP.de licence vocabulary), themes, spatial coverage (the districts with their official keys), temporal
coverage, update frequency, modified date and its distributions with media types and byte sizes. The concepts of
the EU authority tables it uses are described in the graph itself (type and skos:inScheme), so the catalogue
validates without fetching those tables."""

from __future__ import annotations

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from kompass.opendata import licences
from kompass.opendata.datasets import Dataset, all_datasets
from kompass.opendata.formats import distributions

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}
CONTENT_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}


def publisher_name(strategy) -> str:
    return getattr(settings, "KOMPASS_OPEN_DATA_PUBLISHER", "") or strategy.city


def _concept(g: Graph, table: str, code: str, cls: URIRef | None = None) -> URIRef:
    uri = URIRef(f"{EU}{table}/{code}")
    g.add((uri, RDF.type, SKOS.Concept))
    g.add((uri, SKOS.inScheme, URIRef(f"{EU}{table}")))
    g.add((uri, SKOS.prefLabel, Literal(code)))
    if cls is not None:
        g.add((uri, RDF.type, cls))
    return uri


def _licence(g: Graph, lic: licences.Licence) -> URIRef:
    uri = URIRef(lic.uri)
    g.add((uri, RDF.type, DCTERMS.LicenseDocument))
    g.add((uri, RDF.type, SKOS.Concept))
    g.add((uri, SKOS.inScheme, URIRef(licences.VOCABULARY)))
    g.add((uri, SKOS.prefLabel, Literal(lic.title, lang="de")))
    return uri


def _date(value) -> Literal:
    if hasattr(value, "hour"):
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def build_graph(strategy, base_url: str) -> Graph:
    base = base_url.rstrip("/")
    g = Graph()
    for prefix, ns in {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "skos": SKOS, "vcard": VCARD,
                       "dcatde": DCATDE, "dcatap": DCATAP, "locn": LOCN, "gsp": GSP, "adms": ADMS}.items():
        g.bind(prefix, ns)
    lic = licences.for_strategy(strategy)
    licence = _licence(g, lic)
    lang_de = _concept(g, "language", "DEU", DCTERMS.LinguisticSystem)
    public = _concept(g, "access-right", "PUBLIC", DCTERMS.RightsStatement)

    publisher = URIRef(f"{base}/catalog#publisher")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(publisher_name(strategy), lang="de")))
    g.add((publisher, FOAF.homepage, URIRef(f"{base}/")))

    contact = URIRef(f"{base}/catalog#contact")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(publisher_name(strategy))))
    g.add((contact, VCARD.hasURL, URIRef(f"{base}/data/")))
    email = getattr(settings, "KOMPASS_OPEN_DATA_CONTACT_EMAIL", "")
    if email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    locations = {}
    catalog = URIRef(f"{base}/catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(f"Offene Daten: {strategy.name}", lang="de")))
    g.add((catalog, DCTERMS.title, Literal(f"Open data: {strategy.name_en or strategy.name}", lang="en")))
    g.add((catalog, DCTERMS.description, Literal(
        f"Die offenen Daten der Strategie „{strategy.name}“ ({strategy.city}): Strategierahmen, Maßnahmen, "
        "Wirkungsmessung, Lessons Learned, Auswahlverfahren, Evaluationszyklen und Losverfahren.", lang="de")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.license, licence))
    g.add((catalog, DCTERMS.language, lang_de))
    g.add((catalog, FOAF.homepage, URIRef(f"{base}/data/")))
    g.add((catalog, DCTERMS.modified, _date(strategy.updated_at)))

    for ds in all_datasets(strategy, base):
        node = _dataset(g, ds, base, lic, licence, publisher, contact, lang_de, public, locations)
        g.add((catalog, DCAT.dataset, node))
    return g


def _location(g: Graph, district, base: str, cache: dict) -> URIRef:
    if district.pk in cache:
        return cache[district.pk]
    uri = URIRef(f"{base}/districts/{district.slug}/")
    g.add((uri, RDF.type, DCTERMS.Location))
    g.add((uri, SKOS.prefLabel, Literal(district.name, lang="de")))
    if district.official_key:
        g.add((uri, DCTERMS.identifier, Literal(district.official_key)))
    box = bbox(district.geometry)
    if box:
        w, s, e, n = box
        wkt = f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"
        g.add((uri, DCAT.bbox, Literal(wkt, datatype=GSP.wktLiteral)))
    cache[district.pk] = uri
    return uri


def bbox(geometry) -> tuple[float, float, float, float] | None:
    """West, south, east, north of a GeoJSON geometry (None without coordinates)."""
    xs, ys = [], []

    def walk(c):
        if isinstance(c, list | tuple) and len(c) >= 2 and all(isinstance(v, int | float) for v in c[:2]):
            xs.append(c[0])
            ys.append(c[1])
        elif isinstance(c, list | tuple):
            for item in c:
                walk(item)

    walk((geometry or {}).get("coordinates") if isinstance(geometry, dict) else None)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _dataset(g, ds: Dataset, base, lic, licence, publisher, contact, lang_de, public, locations) -> URIRef:
    uri = URIRef(f"{base}/catalog/datasets/{ds.key}")
    g.add((uri, RDF.type, DCAT.Dataset))
    g.add((uri, DCTERMS.identifier, Literal(ds.key)))
    g.add((uri, DCTERMS.title, Literal(ds.title, lang="de")))
    if ds.title_en:
        g.add((uri, DCTERMS.title, Literal(ds.title_en, lang="en")))
    g.add((uri, DCTERMS.description, Literal(ds.description, lang="de")))
    g.add((uri, DCTERMS.publisher, publisher))
    g.add((uri, DCAT.contactPoint, contact))
    g.add((uri, DCTERMS.license, licence))
    g.add((uri, DCTERMS.language, lang_de))
    g.add((uri, DCTERMS.accessRights, public))
    g.add((uri, DCTERMS.accrualPeriodicity, _concept(g, "frequency", ds.frequency, DCTERMS.Frequency)))
    for theme in ds.themes:
        g.add((uri, DCAT.theme, _concept(g, "data-theme", theme)))
    for kw in ds.keywords:
        g.add((uri, DCAT.keyword, Literal(kw, lang="de")))
    if ds.modified:
        g.add((uri, DCTERMS.modified, _date(ds.modified)))
    if ds.issued:
        g.add((uri, DCTERMS.issued, _date(ds.issued)))
    if ds.landing_path:
        g.add((uri, DCAT.landingPage, URIRef(base + ds.landing_path)))
    for d in ds.districts:
        g.add((uri, DCTERMS.spatial, _location(g, d, base, locations)))
    g.add((uri, DCATDE.politicalGeocodingLevelURI,
           URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")))
    if lic.attribution:
        g.add((uri, DCATDE.licenseAttributionByText, Literal(publisher_name_from(g, publisher))))
    if ds.temporal:
        period = BNode()
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, _date(ds.temporal[0])))
        g.add((period, DCAT.endDate, _date(ds.temporal[1])))
        g.add((uri, DCTERMS.temporal, period))
    for dist in distributions(ds, lic):
        d = URIRef(f"{base}/catalog/datasets/{ds.key}/distributions/{dist.table or dist.kind}")
        g.add((d, RDF.type, DCAT.Distribution))
        g.add((d, DCTERMS.title, Literal(dist.title, lang="de")))
        g.add((d, DCAT.accessURL, URIRef(base + dist.path)))
        g.add((d, DCAT.downloadURL, URIRef(base + dist.path)))
        media = URIRef(IANA + dist.media_type)
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((d, DCAT.mediaType, media))
        g.add((d, DCTERMS.format, _concept(g, "file-type", dist.file_type, DCTERMS.MediaTypeOrExtent)))
        g.add((d, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
        g.add((d, DCTERMS.license, licence))
        if ds.modified:
            g.add((d, DCTERMS.modified, _date(ds.modified)))
        if dist.kind == "datapackage":
            g.add((d, DCTERMS.conformsTo, URIRef("https://specs.frictionlessdata.io/data-package/")))
        g.add((uri, DCAT.distribution, d))
    return uri


def publisher_name_from(g: Graph, publisher: URIRef) -> str:
    return str(g.value(publisher, FOAF.name) or "")


def serialize(strategy, base_url: str, fmt: str) -> bytes:
    data = build_graph(strategy, base_url).serialize(format=FORMATS[fmt])
    return data.encode("utf-8") if isinstance(data, str) else data
