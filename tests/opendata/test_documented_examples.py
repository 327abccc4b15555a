"""Every read operation of the public API documents an example request, and the example answers as documented:
the live answer validates against the operation's documented 200 schema, every property example in the schema
validates against its property schema and has the JSON type of the live values, and the error answers the API
gives (400 for a bad parameter, 404 for an unknown object) are documented on the operation."""

import datetime
import json
import re
from urllib.parse import urlsplit

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.participation.conftest import citizen  # noqa: F401

pytestmark = pytest.mark.django_db

EXAMPLE = re.compile(r"Example: `GET ([^`]+)`")
JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object",
              type(None): "null"}


@pytest.fixture
def data(seeded, lesson, published, citizen, office, django_capture_on_commit_callbacks):  # noqa: F811 - fixtures of tests/opendata
    from kompass.lifecycle.services import candidate_submit
    from kompass.participation.services import consultation_create, idea_create, opinion_map_start

    idea_create(actor=citizen, strategy=seeded, title="Offenes WLAN im Park", text="Überall im Park.",
                action_fields=list(seeded.action_fields.all()[:1]), districts=list(seeded.districts.all()[:1]))
    now = datetime.datetime.now(datetime.UTC)
    consultation_create(actor=office, strategy=seeded, slug="beispiel", title="Beispiel", kind="opinions",
                        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=9),
                        statements=["Mehr Bänke", "Mehr Bäume"])
    with django_capture_on_commit_callbacks(execute=True):  # the job runs at once with the tests' backend
        opinion_map_start(actor=office, consultation=seeded.consultations.get(slug="beispiel"))
    candidate_submit(actor=office, strategy=seeded, title="Digitale Parkbank", description="d", source="external")
    return seeded


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def _operations(schema, method="get"):
    for path, operations in schema["paths"].items():
        if method in operations:
            yield path, operations[method]


def _validator(schema, response_schema):
    registry = Registry().with_resource("urn:kompass", Resource.from_contents(
        {"components": schema["components"]}, default_specification=DRAFT202012))
    resolved = {**response_schema, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    text = json.dumps(resolved).replace('"#/components', '"urn:kompass#/components')
    return jsonschema.Draft202012Validator(json.loads(text), registry=registry)


def _fill(client, path_template, example):
    """The example with any `{placeholder}` replaced by the id or slug of the first item of its list."""
    for name in re.findall(r"{(\w+)}", example):
        parent = example.split("{")[0].rstrip("/")
        listed = client.get(parent).json()
        items = listed["items"] if isinstance(listed, dict) and "items" in listed else listed
        assert items, f"{parent} lists nothing to fill {{{name}}} of {example}"
        key = "id" if name.endswith("_id") else "slug"
        example = example.replace(f"{{{name}}}", str(items[0][key]))
    return example


def test_every_read_operation_documents_one_example(schema):
    missing = [path for path, op in _operations(schema) if len(EXAMPLE.findall(op.get("description", ""))) != 1]
    assert missing == []


def test_every_example_answers_as_documented(client, schema, data):
    checked = 0
    for path, op in _operations(schema):
        example = _fill(client, path, EXAMPLE.search(op["description"])[1])
        assert urlsplit(example).path.startswith("/api/v1/"), example
        response = client.get(example)
        assert response.status_code == 200, (example, response.content[:300])
        documented = op["responses"]["200"]
        content = documented.get("content", {})
        if "application/json" not in content:  # the Atom feed
            assert response["Content-Type"].split(";")[0] in content, (example, content)
            continue
        validator = _validator(schema, content["application/json"]["schema"])
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(
            response.json())]
        assert errors == [], (example, errors[:5])
        checked += 1
    assert checked >= 25


def _live_values(value, name, found):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == name:
                found.append(item)
            _live_values(item, name, found)
    elif isinstance(value, list):
        for item in value:
            _live_values(item, name, found)


def test_property_examples_validate_and_have_the_shape_of_live_values(client, schema, data):
    answers = [client.get(_fill(client, p, EXAMPLE.search(op["description"])[1])).json()
               for p, op in _operations(schema) if "application/json" in op["responses"]["200"].get("content", {})]
    checked = 0
    for component, definition in schema["components"]["schemas"].items():
        for name, prop in definition.get("properties", {}).items():
            for example in prop.get("examples", []):
                validator = _validator(schema, prop)
                assert not list(validator.iter_errors(example)), (component, name, example)
                live = []
                for answer in answers:
                    _live_values(answer, name, live)
                live_types = {JSON_TYPES[type(v)] for v in live if v is not None}
                if live_types:
                    assert JSON_TYPES[type(example)] in live_types | ({"number"} if live_types == {"integer"}
                                                                       else set()), (component, name, live_types)
                checked += 1
    assert checked >= 10


def test_the_error_answers_are_documented(client, schema, data):
    for path, op in _operations(schema):
        example = _fill(client, path, EXAMPLE.search(op["description"])[1])
        if any(p["in"] == "query" for p in op.get("parameters", [])):
            bad = client.get(urlsplit(example).path, {"limit": "viele", "modified_since": "gestern"})
            if bad.status_code != 200:  # an operation without such parameters ignores them
                assert bad.status_code == 400 and "400" in op["responses"], (path, bad.status_code)
                assert bad.json()["detail"][0]["param"], path
        if "{" in path:
            segments = urlsplit(example).path.split("/")
            for i, part in enumerate(path.split("/")):
                if part.startswith("{"):
                    segments[i] = "99999999" if part.endswith("_id}") else "gibt-es-nicht-0"
            unknown = "/".join(segments)
            answer = client.get(unknown)
            assert answer.status_code == 404 and "404" in op["responses"], (path, unknown, answer.status_code)
            assert answer.json()["detail"][0]["msg"]
