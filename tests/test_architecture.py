"""Architecture rules that must not erode: the import-linter contracts (layers, pure algorithms) and "writes only
in services and models"."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = ("Pure algorithms import no Django and no Kompass app", "Apps in layers without cycles")


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_linter_contracts_hold():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout, result.stdout


@pytest.mark.parametrize(("probe", "source", "contract"), [
    ("algorithms/_contract_probe.py", "import django  # probe\n", CONTRACTS[0]),
    # strategy sits below measures: an import upwards breaks the layers contract
    ("strategy/_contract_probe.py", "import kompass.measures.models  # probe\n", CONTRACTS[1]),
    # monitoring and participation are independent siblings
    ("monitoring/_contract_probe.py", "import kompass.participation.models  # probe\n", CONTRACTS[1]),
])
def test_import_linter_catches_a_forbidden_import(probe, source, contract):
    bad = ROOT / "kompass" / probe
    bad.write_text(source, encoding="utf-8")
    try:
        result = _lint_imports("--no-cache")
    finally:
        bad.unlink()
    assert result.returncode == 1, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout


# --- Writes only in services and models --------------------------------------------------------------------------

ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "select_related", "prefetch_related",
                  "order_by", "only", "defer", "annotate", "distinct", "none", "using"}

# Modules outside services/models that may write, each for a reason that stays true.
ALLOWED = {
    "kompass/strategy/sections.py":
        "`upsert`, the audited write helper the strategy loader hands to its section loaders; it runs only inside "
        "strategy_load's transaction and permission check",
    "kompass/core/ratelimit.py":
        "the shared rate limiter's own counter rows (core.RateCounter): infrastructure, not domain data, so no service "
        "or audit event",
    "kompass/accounts/throttle.py":
        "forgets django-axes' failed-attempt rows of a deleted account (called from the account-deletion service)",
}

# Modules that still write outside a service today; their owners move the writes into services. The integrator
# shrinks this list after merging. Never add to it.
PENDING: dict[str, str] = {}


def _chain(node: ast.AST) -> list[str]:
    """The attribute names a call's receiver is built from: `Model.objects.filter(...)` -> [filter, objects]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            return names


def _is_commit_false(call: ast.Call) -> bool:
    return any(k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
               for k in call.keywords)


def model_writes(source: str) -> list[tuple[int, str]]:
    """(line, method) of every call in `source` that writes to the database through the ORM.

    Without types, a call counts as a model write when it is
    - `bulk_create`, `bulk_update`, `get_or_create`, `update_or_create` on anything;
    - `.create(...)`, `.update(...)` or `.delete(...)` on a manager or queryset (`X.objects…`, `….filter(…)…`);
    - `.save()` / `.delete()` without positional arguments (an instance or a form; `save(commit=False)` does not
      write), `.create(**kwargs)` and `.update(**kwargs)` with keyword arguments only.
    File-like calls with a positional argument (`workbook.save(out)`, `storage.delete(name)`, `d.update(other)`)
    are not model writes."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        on_queryset = bool(QUERYSET_STEPS & set(_chain(node.func.value)))
        positional = bool(node.args)
        keyword_only = not positional and bool(node.keywords)
        if (method in ALWAYS_WRITES
                or (method in {"create", "update", "delete"} and on_queryset)
                or (method == "save" and not positional and not _is_commit_false(node))
                or (method == "delete" and not positional)
                or (method in {"create", "update"} and keyword_only)):
            found.append((node.lineno, method))
    return found


def _may_write(relative: Path) -> bool:
    parts = relative.parts
    return ("migrations" in parts or relative.name in {"services.py", "models.py"}
            or "services" in parts[:-1] or "models" in parts[:-1]
            # kompass.algorithms imports no Django (import-linter), so it cannot write models.
            or parts[:2] == ("kompass", "algorithms"))


def test_writes_happen_only_in_services_and_models():
    offenders = []
    for path in sorted((ROOT / "kompass").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if _may_write(relative) or relative.as_posix() in ALLOWED or relative.as_posix() in PENDING:
            continue
        offenders += [f"{relative}:{line} .{method}()" for line, method in model_writes(path.read_text("utf-8"))]
    assert not offenders, "Write through a service instead:\n" + "\n".join(offenders)


def test_allowed_and_pending_modules_exist_and_still_write():
    """Stale entries go: every listed module exists and still writes (else remove it from the list)."""
    for name in {**ALLOWED, **PENDING}:
        path = ROOT / name
        assert path.exists(), name
        assert model_writes(path.read_text("utf-8")), f"{name} no longer writes: remove it from the list"


# --- GET views do not call services (services write; reads belong in selectors) ----------------------------------

SAFE_DECORATORS = {"require_GET", "require_safe"}

# (module, service function) pairs a GET-only view may call, each with its reason: reads of personal data that
# must leave a trace (an access log written in the service, with its permission check), not domain writes.
ALLOWED_GET = {
    ("kompass/accounts/views.py", "account_personal_data"):
        "the owner's data export (GDPR Art. 15): the service checks with require() that only the owner gets it and "
        "collects every app's share through PERSONAL_DATA_PROVIDERS; it writes nothing",
    ("kompass/lottery/views.py", "invitations_csv"):
        "the drawn list with names and addresses for the letters: officer only, the download is recorded as an "
        "audit event (lottery.invitations_downloaded)",
    ("kompass/lottery/views.py", "personal_data_viewed"):
        "opening the respondents' personal data is recorded as an audit event (lottery.personal_data_viewed): an "
        "access log, written in the same request that shows the data",
    ("kompass/lottery/views.py", "respondent_export"):
        "a data-subject request for one respondent: officer only, the export is recorded as an audit event",
}

# Pairs that still wait for their owner to move the read into a selector. Never add to it.
PENDING_GET: dict[tuple[str, str], str] = {}


def service_calls_in_get_views(source: str) -> list[tuple[str, str]]:
    """(view, service function) for every call of a `…services` function inside a view decorated with
    `require_GET` / `require_safe`."""
    tree = ast.parse(source)
    names, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[-1] == "services" or ".services." in node.module:
                names |= {alias.asname or alias.name for alias in node.names}
            else:
                modules |= {alias.asname or alias.name for alias in node.names if alias.name == "services"}
    found = []
    for view in tree.body:
        if not isinstance(view, ast.FunctionDef):
            continue
        decorators = {getattr(d, "id", None) or getattr(d, "attr", None) for d in view.decorator_list}
        if not decorators & SAFE_DECORATORS:
            continue
        for node in ast.walk(view):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in names:
                found.append((view.name, func.id))
            elif isinstance(func, ast.Attribute) and getattr(func.value, "id", None) in modules:
                found.append((view.name, func.attr))
    return found


def test_get_views_do_not_call_services():
    offenders, seen = [], set()
    paths = [*(ROOT / "kompass").rglob("views.py"), *(ROOT / "kompass").rglob("views/*.py")]
    for path in sorted(paths):
        relative = path.relative_to(ROOT).as_posix()
        for view, called in service_calls_in_get_views(path.read_text("utf-8")):
            seen.add((relative, called))
            if (relative, called) not in ALLOWED_GET and (relative, called) not in PENDING_GET:
                offenders.append(f"{relative}: GET view {view} calls services.{called}")
    assert not offenders, "A GET changes nothing; read through a selector:\n" + "\n".join(offenders)
    stale = (set(ALLOWED_GET) | set(PENDING_GET)) - seen
    assert not stale, f"stale ALLOWED_GET/PENDING_GET entries: {stale}"
    assert all(len(reason) > 40 for reason in ALLOWED_GET.values())  # each entry says why


def test_get_view_check_catches_a_service_call():
    source = (
        "from django.views.decorators.http import require_GET, require_POST\n"
        "from kompass.jobs.services import job_reconcile\n"
        "from kompass.measures import services\n\n"
        "@require_GET\ndef show(request):\n    job_reconcile(1)\n    services.measure_update(actor=None)\n\n"
        "@require_POST\ndef change(request):\n    services.measure_update(actor=None)\n"
    )
    assert service_calls_in_get_views(source) == [("show", "job_reconcile"), ("show", "measure_update")]


FORBIDDEN_SOURCE = """
from kompass.measures.models import Measure

def edit(request, slug):
    measure = Measure.objects.get(slug=slug)
    measure.title = request.POST["title"]
    measure.save(update_fields=["title"])                      # 7
    Measure.objects.filter(pk=measure.pk).update(status="x")   # 8
    Measure.objects.create(slug="new")                         # 9
    qs.delete()                                                # 10
    Tag.objects.get_or_create(name="a")                        # 11
    form.save()                                                # 12
    measure.districts.all().delete()                           # 13
"""

HARMLESS_SOURCE = """
def export(workbook, out, storage, cache, context, progress, form, digest):
    workbook.save(out)
    storage.delete("stored-name")
    cache.delete("key")
    context.update({"a": 1})
    progress.update(3, total=10)
    digest.update(b"chunk")
    form.save(commit=False)
"""


def test_write_check_catches_forbidden_writes_in_a_module():
    assert [line for line, _method in model_writes(FORBIDDEN_SOURCE)] == [7, 8, 9, 10, 11, 12, 13]


def test_write_check_leaves_file_cache_and_dict_calls_alone():
    assert model_writes(HARMLESS_SOURCE) == []


def _layers() -> list[set[str]]:
    """The apps of the import-linter `layers` contract, highest layer first (parentheses = optional app)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c.get("type") == "layers")
    return [{name.strip(" ()") for name in layer.split("|")} for layer in contract["layers"]]


def model_lookups(source: str) -> list[str]:
    """The app labels of every `apps.get_model("label", ...)` / `get_model("label.Model")` call with a literal."""
    tree, names = ast.parse(source), {"get_model"}
    for node in ast.walk(tree):  # aliases: `model = apps.get_model`
        if isinstance(node, ast.Assign) and getattr(node.value, "attr", getattr(node.value, "id", None)) in names:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in names:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append(node.args[0].value.split(".")[0])
    return found


def test_no_app_reads_models_of_its_own_layer_or_above_by_name():
    """`apps.get_model` hides an import from the linter: it may only reach an app in a lower layer (which could be
    imported anyway). Same-layer or upward reads go through a registry the higher app fills (strategy.figures,
    strategy.sections, measures.filters, lifecycle.criteria)."""
    layers = _layers()
    level = {app: n for n, layer in enumerate(layers) for app in layer}
    offenders = []
    for path in sorted((ROOT / "kompass").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts or len(relative.parts) < 3:
            continue
        app = relative.parts[1]
        if app not in level:
            continue
        for label in model_lookups(path.read_text("utf-8")):
            if label in level and label != app and level[label] <= level[app]:
                offenders.append(f"{relative.as_posix()}: apps.get_model({label!r}) (same layer or above)")
    assert not offenders, "\n".join(offenders)
    assert model_lookups('apps.get_model("participation", "Idea")\nget_model("lottery.Panel")\n'
                         'model = apps.get_model\nmodel("participation", "Vote")') == [
        "participation", "lottery", "participation"]


KOMPASS = ROOT / "kompass"
SITE_URL_READERS = {"core/urls.py", "core/checks.py"}


def _site_url_offenders(root: Path) -> list[str]:
    """Modules that read KOMPASS_SITE_URL themselves or hard-code a local host as a link's base."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel in SITE_URL_READERS:
            continue
        if "KOMPASS_SITE_URL\"" in text or "KOMPASS_SITE_URL'" in text:
            found.append(f"{rel}: reads KOMPASS_SITE_URL (use kompass.core.urls.absolute_url)")
        if "127.0.0.1:8000" in text or "localhost:8000" in text:
            found.append(f"{rel}: links to a local host")
    return found


def test_links_that_leave_the_site_are_built_in_one_place():
    """Every absolute link (emails, exports, stored links) goes through kompass.core.urls (ADR 0076)."""
    assert _site_url_offenders(KOMPASS) == []


def test_site_url_check_catches_a_module_with_its_own_fallback(tmp_path):
    (tmp_path / "mailer.py").write_text('base = getattr(settings, "KOMPASS_SITE_URL", "http://127.0.0.1:8000")\n')
    assert len(_site_url_offenders(tmp_path)) == 2


# --- Small modules -------------------------------------------------------------------------------------------------

MAX_MODULE_LINES = 500
# The folders with the project's own Python; migrations are generated and exempt.
SOURCE_DIRS = ("kompass", "config", "tests", "bench", "scripts", "mutation", "deploy")


def long_modules(root: Path, limit: int = MAX_MODULE_LINES) -> list[str]:
    """`path: lines` of every Python module below `root`'s source folders with more than `limit` lines."""
    found = []
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            lines = len(path.read_text("utf-8").splitlines())
            if lines > limit:
                found.append(f"{path.relative_to(root).as_posix()}: {lines}")
    return found


def test_no_module_has_more_than_500_lines():
    """Issue 9: a module that grows past 500 lines becomes a package by sub-domain (as lifecycle.models,
    monitoring.services)."""
    assert long_modules(ROOT) == [], "split these modules by sub-domain"


def test_module_size_check_counts_lines_and_leaves_migrations_alone(tmp_path):
    (tmp_path / "kompass" / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "kompass" / "app" / "big.py").write_text("x = 1\n" * 501)
    (tmp_path / "kompass" / "app" / "edge.py").write_text("x = 1\n" * 500)
    (tmp_path / "kompass" / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_big.py").write_text("x = 1\n" * 600)
    assert long_modules(tmp_path) == ["kompass/app/big.py: 501", "tests/test_big.py: 600"]


# --- The back office writes only through audited paths -----------------------------------------------------------

# Third-party admin pages kept on purpose: django-tasks' queue (task results, not domain data) and django-axes'
# failed-login records (deleting one is how an admin lifts a lock-out, ADR 0031).
FOREIGN_ADMIN_APPS = {"django_tasks_database", "axes"}


def test_back_office_pages_write_only_through_audited_paths():
    """Every back-office page either audits its writes (core.admin.OfficeAdminMixin: the office permission and an
    audit event per save and delete) or offers no add, change or delete at all, even to a superuser."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from kompass.core.admin import OfficeAdminMixin

    request = RequestFactory().get("/backoffice/")
    request.user = get_user_model()(is_superuser=True, is_active=True)
    offenders, read_only = [], 0
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, OfficeAdminMixin) or model._meta.app_label in FOREIGN_ADMIN_APPS:
            continue
        writes = [verb for verb in ("add", "change", "delete")
                  if getattr(model_admin, f"has_{verb}_permission")(request)]
        if writes:
            offenders.append(f"{model._meta.label}: {', '.join(writes)}")
        read_only += 1
    assert not offenders, "use OfficeAdminMixin or core.admin.ReadOnlyAdminMixin:\n" + "\n".join(offenders)
    assert read_only >= 5  # audit events, ideas, consultations, reports, panels
