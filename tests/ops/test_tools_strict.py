"""A missing deploy validator fails under `make test`/CI (KOMPASS_STRICT_TOOLS, CI) and only skips elsewhere."""

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.ops import tools


@pytest.fixture
def no_tools(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda *a, **k: None)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("KOMPASS_STRICT_TOOLS", raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", ["KOMPASS_STRICT_TOOLS", "CI"])
def test_missing_tool_fails_when_strict(no_tools, variable):
    no_tools.setenv(variable, "1")
    with pytest.raises(Failed, match="nginx is missing: `make deploy-tools`"):
        tools.require_tool("nginx")
    with pytest.raises(Failed, match="Python package no_such_validator is missing"):
        tools.require_module("no_such_validator")


def test_missing_tool_skips_outside_make_test(no_tools):
    with pytest.raises(Skipped, match="nginx is missing"):
        tools.require_tool("nginx")


def test_present_tool_is_found(monkeypatch):
    monkeypatch.setenv("KOMPASS_STRICT_TOOLS", "1")
    assert tools.require_tool("sh").endswith("/sh")
