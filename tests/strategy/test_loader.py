"""`kompass load-strategy`: validation, idempotency, atomicity and exit codes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from kompass.audit.models import AuditEvent
from kompass.measures.models import Measure
from kompass.organisations.models import Organisation
from kompass.strategy.loader import StrategyFileError
from kompass.strategy.models import District, Strategy
from kompass.strategy.services import STRATEGY_LOADER, strategy_load
from tests.conftest import EXAMPLE_CITY, FIXTURES, ROOT

pytestmark = pytest.mark.django_db


def counts():
    return (Strategy.objects.count(), Measure.objects.count(), Organisation.objects.count(),
            District.objects.count(), AuditEvent.objects.count())


def write(tmp_path: Path, doc: dict, name="strategy.yaml") -> Path:
    # Keep the map file reachable relative to the copied document.
    (tmp_path / "geo").mkdir(exist_ok=True)
    shutil.copy(ROOT / "data/geo/berlin-bezirke.simplified.geojson", tmp_path / "geo")
    if "map" in doc:
        doc["map"]["file"] = "geo/berlin-bezirke.simplified.geojson"
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True) if name.endswith(".yaml") else json.dumps(doc, default=str),
                    encoding="utf-8")
    return path


def mini() -> dict:
    return yaml.safe_load((FIXTURES / "mini.yaml").read_text(encoding="utf-8"))


def test_fictional_city_loads_next_to_berlin_and_berlin_stays_current():
    report = strategy_load(actor=STRATEGY_LOADER, path=EXAMPLE_CITY)
    city = Strategy.objects.get(slug=report.strategy)
    assert city.measures.count() >= 5
    assert not city.is_current
    assert Strategy.objects.get(is_current=True).slug == "berlin-gdb"
    # Nothing of Berlin leaks into the other city's framework.
    assert not city.districts.filter(name__icontains="Mitte").exists()


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, mini())
    first = strategy_load(actor=STRATEGY_LOADER, path=path)
    assert first.changed > 0
    before = counts()
    second = strategy_load(actor=STRATEGY_LOADER, path=path)
    assert second.changed == 0
    assert counts() == before


def test_changed_file_updates_by_slug_and_records_what_changed(tmp_path):
    doc = mini()
    strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    doc["measures"][0]["title"] = "Wasser neu gedacht"
    doc["measures"][0]["districts"] = ["alle"]
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, doc))
    assert report.counts["measure"]["updated"] == 1
    assert report.changed == 1  # only that measure
    measure = Measure.objects.get(slug="wasser", strategy__slug="mini")
    assert measure.title == "Wasser neu gedacht"
    assert [d.slug for d in measure.districts.all()] == ["alle"]
    event = AuditEvent.objects.filter(action="measure.updated", object_id=str(measure.pk)).first()
    assert event.changes["title"] == ["Smarte Wassernutzung", "Wasser neu gedacht"]
    assert "districts" in event.changes
    assert event.actor is None
    assert event.actor_label == "system:load-strategy strategy.yaml"


def test_json_files_load_too(tmp_path):
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, mini(), name="strategy.json"))
    assert report.counts["measure"]["created"] == 2


def test_dry_run_writes_nothing(tmp_path):
    before = counts()
    report = strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, mini()), dry_run=True)
    assert report.changed > 0 and report.dry_run
    assert counts() == before


BAD_CASES = [
    ("unknown district", lambda d: d["measures"][1]["districts"].append("atlantis"),
     "measures[1].districts[2]", "unknown district 'atlantis'"),
    ("unknown organisation", lambda d: d["measures"][0].update(responsible="nobody"),
     "measures[0].responsible", "unknown organisation 'nobody'"),
    ("bad status", lambda d: d["measures"][0].update(status="done"), "measures[0].status", "'done' is not one of"),
    ("strength out of range", lambda d: d["measures"][0]["values"].update(offen=4), "measures[0].values.offen",
     "4 is greater than the maximum of 3"),
    ("missing title", lambda d: d["measures"][0].pop("title"), "measures[0]", "'title' is a required property"),
    ("duplicate slug", lambda d: d["measures"].append(dict(d["measures"][0])), "measures[2].slug",
     "duplicate slug 'wasser'"),
    ("unknown key", lambda d: d["strategy"].update(colour="blue"), "strategy",
     "Additional properties are not allowed"),
    ("period reversed", lambda d: d["measures"][0].update(period={"start": 2026, "end": 2022}),
     "measures[0].period", "ends before it starts"),
    ("unknown map key", lambda d: d["districts"][0].update(official_key="99"), "districts[0].official_key",
     "no map feature"),
]


@pytest.mark.parametrize(("case", "mutate", "where", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file_names_path_and_problem_and_writes_nothing(tmp_path, case, mutate, where, message):
    doc = mini()
    mutate(doc)
    path = write(tmp_path, doc)
    before = counts()
    with pytest.raises(StrategyFileError) as info:
        strategy_load(actor=STRATEGY_LOADER, path=path)
    rendered = info.value.render()
    assert str(path) in rendered
    assert any(p.path == where and message in p.message for p in info.value.problems), rendered
    assert counts() == before


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    from kompass.measures import services

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "measure_create", explode)  # the measures section loader's write
    before = counts()
    with pytest.raises(RuntimeError):
        strategy_load(actor=STRATEGY_LOADER, path=write(tmp_path, mini()))
    assert counts() == before


def test_invalid_yaml_syntax_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: 1\nstrategy: [unclosed\n", encoding="utf-8")
    with pytest.raises(StrategyFileError) as info:
        strategy_load(actor=STRATEGY_LOADER, path=path)
    assert "line" in info.value.problems[0].path and "invalid YAML" in info.value.problems[0].message


def test_command_exits_2_naming_file_and_path(tmp_path):
    doc = mini()
    doc["measures"][0]["status"] = "done"
    path = write(tmp_path, doc)
    with pytest.raises(CommandError) as info:
        call_command("load_strategy", str(path))
    assert info.value.returncode == 2
    assert str(path) in str(info.value) and "measures[0].status" in str(info.value)


def test_command_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("load_strategy", str(tmp_path / "nope.yaml"))
    assert info.value.returncode == 2 and "file not found" in str(info.value)


def test_if_empty_skips_when_a_strategy_exists(tmp_path, capsys):
    before = counts()
    call_command("load_strategy", str(write(tmp_path, mini())), "--if-empty")
    assert counts() == before
    assert "already" in capsys.readouterr().out


def test_console_command_maps_hyphens_and_exits_2(tmp_path):
    """The installed `kompass` console command runs `load-strategy` and exits with code 2 on a bad file."""
    doc = mini()
    doc["measures"][0]["responsible"] = "nobody"
    path = write(tmp_path, doc)
    exe = Path(sys.executable).parent / "kompass"
    result = subprocess.run([str(exe), "load-strategy", str(path), "--dry-run"], capture_output=True, text=True,
                            env={"KOMPASS_TESTING": "1", "PATH": "/usr/bin:/bin",
                                 "KOMPASS_VAR_DIR": str(tmp_path / "var"),
                                 "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"},
                            timeout=120)
    assert result.returncode == 2, result.stderr
    assert "measures[0].responsible" in result.stderr and str(path) in result.stderr
