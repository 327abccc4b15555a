"""Schemathesis over every operation of the API, anonymous and with a token: no server error, every response
conforms to its documented schema and status code. Examples are bounded so the run stays short
(SCHEMATHESIS_EXAMPLES raises the budget for a longer local run)."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks

from config.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [st_checks.not_a_server_error, st_checks.status_code_conformance, st_checks.content_type_conformance,
          st_checks.response_schema_conformance]


@pytest.fixture
def token(make_user, berlin):
    from kompass.accounts.services import api_token_create

    user = make_user("fuzz@example.org", office=True)
    for flag in ("is_cdo", "is_reviewer", "is_moderator"):
        setattr(user, flag, True)
    user.display_name = "Fuzzer"
    user.save()
    _token, secret = api_token_create(actor=user, user=user, name="fuzz")
    return secret


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI app closes database connections at the end of a request; keep the test's own (as Django's test
    client does), so the requests see the test's data and transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def populated(berlin, make_user):
    from kompass.participation import services

    author = make_user("author@example.org")
    services.idea_create(actor=author, strategy=berlin, title="Idee", text="Text")


def _validate(case, response):
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_anonymous(case, berlin, populated):
    from django.core.cache import cache

    cache.clear()
    _validate(case, case.call())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_with_token(case, berlin, populated, token):
    from django.core.cache import cache

    cache.clear()
    _validate(case, case.call(headers={"Authorization": f"Bearer {token}"}))


@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "token"])
def test_api_stateful_links(with_token, berlin, populated, token):
    """Sequences of calls that follow the links schemathesis infers between operations (a listed idea's id into
    its comments, support and detail; a created idea into the same; measures into their phase …)."""
    from django.core.cache import cache
    from hypothesis.stateful import run_state_machine_as_test

    headers = {"Authorization": f"Bearer {token}"} if with_token else {}
    linked = []

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, **kwargs):
            if "{" in case.path:
                linked.append(case.formatted_path)
            _validate(case, response)

    cache.clear()
    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "15")), stateful_step_count=6,
        deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)))
    assert linked, "no call followed a link"
