"""`kompass lottery` command logic, called as kompass.lottery.cli.main(argv) (no Django needed)."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from kompass.lottery.cli import main

# the shared instances live next to the repository: <repo>/../shared/data/sortition
DATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "sortition").resolve()
needs_data = pytest.mark.skipif(not DATA.exists(), reason="public instances not available")


@pytest.fixture(autouse=True)
def _german_by_default():
    """Override the Django-dependent autouse fixture of tests/conftest.py: these tests run without Django."""
    yield


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def verify(pool: Path, quotas: Path, out: Path, *more: str) -> int:
    """`kompass lottery verify` of the report in `out` against the pool and quotas; its exit code."""
    return main(["verify", "--pool", str(pool), "--quotas", str(quotas), "--report", str(out / "report.json"), *more])


@pytest.fixture
def tiny(tmp_path):
    q = write(
        tmp_path / "categories.csv",
        "category,feature,min,max\ngender,f,2,3\ngender,m,2,3\nage,young,1,4\nage,old,1,4\n",
    )
    rows = ["id,gender,age,address"] + [
        f"r{i},{'f' if i % 2 else 'm'},{'young' if i < 6 else 'old'},a{i}" for i in range(12)
    ]
    p = write(tmp_path / "respondents.csv", "\n".join(rows) + "\n")
    return p, q


def test_select_writes_outputs_and_verify_matches(tiny, tmp_path, capsys):
    p, q = tiny
    out = tmp_path / "out"
    code = main(
        [
            "select",
            "--pool",
            str(p),
            "--quotas",
            str(q),
            "--size",
            "5",
            "--seed",
            "abc",
            "--out",
            str(out),
            "--panels",
            "100",
        ]
    )
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    for key in (
        "algorithm",
        "seed",
        "inputs",
        "list_hash",
        "min_probability",
        "max_probability",
        "gini",
        "support_size",
        "rounding_error",
        "runtime_seconds",
    ):
        assert key in report
    assert len(report["inputs"]["pool"]["sha256"]) == 64
    with open(out / "probabilities.csv") as f:
        probs = list(csv.DictReader(f))
    assert len(probs) == 12
    assert abs(sum(float(r["probability"]) for r in probs) - 5) < 1e-6
    with open(out / "panel.csv") as f:
        panel = list(csv.DictReader(f))
    assert len(panel) == 5
    assert verify(p, q, out, "--panel", str(out / "panel.csv")) == 0
    assert "MATCH" in capsys.readouterr().out
    # tampered panel -> mismatch
    lines = (out / "panel.csv").read_text().splitlines()
    others = [f"r{i}" for i in range(12) if f"r{i}" not in {r["id"] for r in panel}]
    lines[1] = others[0] + "," + lines[1].split(",", 1)[1]
    write(out / "panel.csv", "\n".join(lines) + "\n")
    assert verify(p, q, out, "--panel", str(out / "panel.csv")) == 1
    # changed seed in the report -> mismatch
    report["seed"] = "other"
    write(out / "report.json", json.dumps(report))
    assert verify(p, q, out) == 1


@pytest.mark.parametrize(
    "quotas, pool, needle",
    [
        (
            "category,feature,min,max\ngender,f,2,x\ngender,m,2,3\n",
            None,
            "row 2, column 'max': 'x' is not an",
        ),
        ("category,feature,min,max\ngender,f,2,3\n", None, "value 'm' is not one of the quota values"),
        ("category,feature,max\ngender,f,3\ngender,m,3\n", None, "column 'min'"),
        (None, "id,age\nr1,young\n", "missing column for quota category 'gender'"),
        (
            "category,feature,min,max\ngender,f,1.5,3\ngender,m,2,3\n",
            None,
            "'1.5' is not a non-negative integer",
        ),
        ("category,feature,min,max\ngender,f,3,2\ngender,m,2,3\n", None, "max 2 is smaller than min 3"),
    ],
)
def test_bad_files_exit_2(tiny, tmp_path, capsys, quotas, pool, needle):
    p, q = tiny
    if quotas:
        write(q, quotas)
    if pool:
        write(p, pool)
    code = main(["select", "--pool", str(p), "--quotas", str(q), "--size", "5", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert needle in err
    wrong_value = "is not one of the quota values" in needle
    assert (str(q) if quotas and not wrong_value else str(p)) in err


def test_value_error_names_row_and_column(tiny, tmp_path, capsys):
    p, q = tiny
    text = p.read_text().replace("r3,f,young", "r3,x,young")
    write(p, text)
    assert main(["select", "--pool", str(p), "--quotas", str(q), "--size", "5", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "row 5" in err and "column 'gender'" in err and "'x'" in err


def test_missing_size_and_file(tiny, tmp_path, capsys):
    p, q = tiny
    assert main(["select", "--pool", str(p), "--quotas", str(q), "--out", str(tmp_path / "o")]) == 2
    assert "panel size unknown" in capsys.readouterr().err
    assert main(["select", "--pool", str(tmp_path / "nope.csv"), "--quotas", str(q), "-k", "3"]) == 2
    assert main(["select", "--bogus"]) == 2


def test_infeasible_exit_3_with_explanation(tiny, tmp_path, capsys):
    p, q = tiny
    write(q, "category,feature,min,max\ngender,f,5,5\ngender,m,2,3\nage,young,1,4\nage,old,1,4\n")
    out = tmp_path / "o"
    assert main(["select", "--pool", str(p), "--quotas", str(q), "--size", "5", "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "cannot be satisfied" in err and "gender" in err
    rep = json.loads((out / "report.json").read_text())
    assert rep["infeasible"]["relaxation"]


@needs_data
@pytest.mark.parametrize(
    "instance, expected_min",
    [("sfscot_22", 1 / 11), ("opendlp_monitoring_30", 0.2967033), ("example_small_20", 0.1)],
)
def test_public_instance_folders(tmp_path, instance, expected_min):
    out = tmp_path / instance
    assert main(["select", "--pool", str(DATA / instance), "--seed", "kompass", "--out", str(out), "-q"]) == 0
    rep = json.loads((out / "report.json").read_text())
    assert abs(rep["min_probability"] - expected_min) < 1e-6
    assert rep["k"] == int(instance.rsplit("_", 1)[1])


@needs_data
def test_select_with_copied_instance_and_goldilocks(tmp_path):
    inst = tmp_path / "panel_22"
    shutil.copytree(DATA / "sfscot_22", inst)
    out = tmp_path / "o"
    assert (
        main(
            [
                "select",
                "--pool",
                str(inst),
                "--algorithm",
                "goldilocks",
                "--seed",
                "1",
                "--out",
                str(out),
                "--panels",
                "200",
            ]
        )
        == 0
    )
    rep = json.loads((out / "report.json").read_text())
    assert rep["household_columns"] == ["primary_address1", "primary_zip"]
    assert rep["max_probability"] < 0.3


def test_invite(tmp_path, capsys):
    reg = write(
        tmp_path / "register.csv",
        "id,district,age\n"
        + "".join(f"{i},{'north' if i < 60 else 'south'},{'y' if i % 2 else 'o'}\n" for i in range(100)),
    )
    out = tmp_path / "inv.csv"
    args = [
        "invite",
        "--register",
        str(reg),
        "--count",
        "10",
        "--strata",
        "district,age",
        "--seed",
        "s",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    with open(out) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    assert sum(r["district"] == "north" for r in rows) == 6
    first = out.read_text()
    assert main(args) == 0 and out.read_text() == first
    assert main(["invite", "--register", str(reg), "--count", "10", "--strata", "nope", "--seed", "s"]) == 2
    assert "column 'nope'" in capsys.readouterr().err


def test_time_limit_writes_a_valid_lottery_a_warning_and_a_state_to_resume(tmp_path, capsys):
    from bench.lottery import generate

    folder = generate.write(generate.generate("berlin", 150, 20, seed=11), tmp_path)
    out = tmp_path / "out"
    code = main(["select", "--pool", str(folder), "--seed", "s", "--out", str(out), "--time-limit", "0.000001",
                 "-q"])
    assert code == 0
    err = capsys.readouterr().err
    assert "NOT yet fully LEXIMIN" in err and f"--resume {out / 'state.json'}" in err
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is False and report["certificate"]["complete"] is False
    assert (out / "state.json").is_file() and len(list(csv.DictReader(open(out / "panel.csv")))) == 20
    # continue: finishes, optimal, and the state file is gone
    code = main(["select", "--pool", str(folder), "--seed", "s", "--out", str(out), "--resume",
                 str(out / "state.json"), "-q"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is True and report["certificate"]["max_shortfall"] <= 1e-7
    assert not (out / "state.json").exists()
    # a state of another pool is refused with exit 2, naming the file
    other = generate.write(generate.generate("other", 150, 20, seed=12), tmp_path)
    main(["select", "--pool", str(other), "--seed", "s", "--out", str(tmp_path / "o2"), "--time-limit", "0.000001",
          "-q"])
    capsys.readouterr()
    code = main(["select", "--pool", str(folder), "--out", str(tmp_path / "o3"), "--resume",
                 str(tmp_path / "o2" / "state.json"), "-q"])
    assert code == 2 and "state.json" in capsys.readouterr().err
    assert main(["select", "--pool", str(folder), "--out", str(tmp_path / "o4"), "--time-limit", "0", "-q"]) == 2


def test_goldilocks_time_limit_writes_a_valid_lottery_marked_not_optimal(tmp_path, capsys):
    from bench.lottery import generate

    folder = generate.write(generate.generate("berlin", 80, 12, seed=4), tmp_path)
    out = tmp_path / "out"
    code = main(["select", "--pool", str(folder), "--algorithm", "goldilocks", "--seed", "s", "--out", str(out),
                 "--time-limit", "0.000001", "-q"])
    assert code == 0
    err = capsys.readouterr().err
    assert "NOT yet proven GOLDILOCKS-optimal" in err and f"--resume {out / 'state.json'}" in err
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is False and report["certificate"]["method"] == "goldilocks"
    assert len(list(csv.DictReader(open(out / "panel.csv")))) == 12
    code = main(["select", "--pool", str(folder), "--algorithm", "goldilocks", "--seed", "s", "--out", str(out),
                 "--resume", str(out / "state.json"), "-q"])
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["complete"] is True and not (out / "state.json").exists()


EVIL = '=HYPERLINK("http://x")'


def test_invite_output_neutralises_formulas_in_file_and_on_stdout(tmp_path, capsys):
    reg = write(tmp_path / "register.csv", "id,name,district\n"
                + "".join(f'{i},"{EVIL.replace(chr(34), chr(34) * 2)}",d{i % 2}\n' for i in range(10)))
    out = tmp_path / "inv.csv"
    assert main(["invite", "--register", str(reg), "--count", "4", "--strata", "district", "--seed", "s",
                 "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 and all(r["name"] == "'" + EVIL for r in rows)
    capsys.readouterr()
    assert main(["invite", "--register", str(reg), "--count", "4", "--strata", "district", "--seed", "s"]) == 0
    printed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["name"] for r in printed] == ["'" + EVIL] * 4


def test_select_guards_formula_ids_in_panel_csv_and_verify_still_matches(tmp_path, capsys):
    q = write(tmp_path / "categories.csv", "category,feature,min,max\ngender,f,2,3\ngender,m,2,3\n")
    p = write(tmp_path / "respondents.csv", "id,gender\n" + "".join(f"-r{i},{'f' if i % 2 else 'm'}\n"
                                                                   for i in range(10)))
    out = tmp_path / "out"
    assert main(["select", "--pool", str(p), "--quotas", str(q), "--size", "5", "--seed", "x", "--out", str(out),
                 "--panels", "50"]) == 0
    for name in ("panel.csv", "probabilities.csv"):
        with open(out / name, newline="", encoding="utf-8") as f:
            ids = [r["id"] for r in csv.DictReader(f)]
        assert ids and all(i.startswith("'-r") for i in ids), name
    assert verify(p, q, out, "--panel", str(out / "panel.csv")) == 0
    assert "MATCH" in capsys.readouterr().out


@pytest.mark.parametrize("body, needle", [
    (b"\xff\xfe\x00i\x00d", "The CSV file is not UTF-8 encoded"),
    (b"id,gender,age,address\nr1,f,young,a1,surplus\n", "row 2: This row has more cells than the header"),
    (b"id,gender,gender\n", "row 1, column 'gender': This column appears twice"),
])
def test_unreadable_files_exit_2_in_english_naming_file_and_row(tiny, tmp_path, capsys, body, needle):
    # the CLI reads through core.tabular too (a thin adapter in lottery/io.py) and keeps its English messages
    p, q = tiny
    p.write_bytes(body)
    assert main(["select", "--pool", str(p), "--quotas", str(q), "--size", "5", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert needle in err and str(p) in err
    assert "codec" not in err and "Traceback" not in err


def test_an_xlsx_pool_selects_like_its_csv(tiny, tmp_path, capsys):
    from openpyxl import Workbook

    p, q = tiny
    book = Workbook()
    for line in p.read_text(encoding="utf-8").splitlines():
        book.active.append(line.split(","))
    xlsx = tmp_path / "respondents.xlsx"
    book.save(xlsx)
    for pool, out in ((p, tmp_path / "csv"), (xlsx, tmp_path / "xlsx")):
        assert main(["select", "--pool", str(pool), "--quotas", str(q), "--size", "5", "--seed", "s",
                     "--panels", "50", "--out", str(out), "-q"]) == 0
    assert (tmp_path / "csv" / "panel.csv").read_text() == (tmp_path / "xlsx" / "panel.csv").read_text()
