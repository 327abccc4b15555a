"""Lifecycle is the lower layer, participation the higher one: lifecycle imports nothing from participation, and
neither app writes outside its services and models. Module sizes stay small."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [ROOT / "kompass" / "lifecycle", ROOT / "kompass" / "participation"]
WRITES = {"save", "create", "delete", "update", "bulk_create", "get_or_create", "update_or_create"}
CONTRACT = """
[importlinter]
root_packages =
    kompass
include_external_packages = True

[importlinter:contract:lifecycle-below-participation]
name = Lifecycle does not import participation
type = forbidden
source_modules =
    kompass.lifecycle
forbidden_modules =
    kompass.participation
"""


def _lint(config: Path):
    exe = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(exe), "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_import_linter_finds_no_import_of_participation_in_lifecycle(tmp_path):
    config = tmp_path / "layers.ini"
    config.write_text(CONTRACT, encoding="utf-8")
    result = _lint(config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_the_contract_catches_a_lazy_import(tmp_path):
    """The check is real: a function-level import of participation inside lifecycle breaks it."""
    probe = ROOT / "kompass" / "lifecycle" / "_layer_probe.py"
    probe.write_text("def f():\n    from kompass.participation import services  # noqa: F401\n", encoding="utf-8")
    config = tmp_path / "layers.ini"
    config.write_text(CONTRACT, encoding="utf-8")
    try:
        result = _lint(config)
    finally:
        probe.unlink()
    assert result.returncode != 0 and "Contracts: 0 kept, 1 broken." in result.stdout


def _modules(app: Path):
    return [p for p in app.rglob("*.py") if "migrations" not in p.parts]


def test_only_services_and_models_write():
    """The spreadsheet module parses and checks; views, API, tasks and commands call services."""
    offenders = []
    for app in APPS:
        for path in _modules(app):
            rel = path.relative_to(app)
            if rel.parts[0] == "services" or rel.name == "models.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in WRITES and not _is_dict_or_cache_call(node)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert offenders == []


def _is_dict_or_cache_call(node: ast.Call) -> bool:
    """Workbooks saved to bytes, job progress and temporary upload files are not model writes: the receivers
    allowed here are named one by one, so a new `Model.objects.create` anywhere else fails the test."""
    target = node.func.value
    return isinstance(target, ast.Name) and target.id in {"book", "workbook", "progress", "storage"}


def test_no_module_of_the_two_apps_exceeds_500_lines():
    long = {str(p.relative_to(ROOT)): n for app in APPS for p in _modules(app)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
