"""Architecture rules that must not erode."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    """kompass.algorithms imports no Django and no Kompass app (import-linter contract in pyproject.toml)."""
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken" in result.stdout or "broken" not in result.stdout


def test_import_linter_catches_a_forbidden_import(tmp_path):
    """The contract is real: a module under kompass.algorithms that imports Django breaks it."""
    bad = ROOT / "kompass" / "algorithms" / "_contract_probe.py"
    bad.write_text("import django  # probe\n", encoding="utf-8")
    try:
        exe = Path(sys.executable).parent / "lint-imports"
        result = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    finally:
        bad.unlink()
    assert result.returncode != 0 and "broken" in result.stdout.lower()


def test_views_api_and_commands_do_not_write_to_models_directly():
    """Writes go through services: no .save()/.create()/.delete()/.update() calls in thin layers."""
    offenders = []
    thin = [p for p in (ROOT / "kompass").rglob("*.py")
            if p.name in {"views.py", "api.py"} or "management/commands" in str(p)]
    for path in thin:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"save", "create", "delete", "update", "bulk_create", "get_or_create",
                                           "update_or_create"}):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert not offenders, offenders
