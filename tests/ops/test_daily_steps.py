"""The daily maintenance (systemd unit and Kubernetes CronJob) runs every step even when one fails, and still fails
at the end: a mail server that is down must not skip the purges or the backup, and a failed step must not go
unnoticed. The shipped shell lines run here against a stand-in `kompass` that records its arguments."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD_KOMPASS = "/opt/kompass/.venv/bin/kompass"


def systemd_daily_script() -> str:
    """The shell text of kompass-daily.service's ExecStart, as systemd hands it to /bin/sh."""
    text = (DEPLOY / "systemd/kompass-daily.service").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    assert len(lines) == 1, "one ExecStart, so that one failing step cannot end the unit early"
    match = re.fullmatch(r"ExecStart=/bin/sh -c '(.*)'", lines[0].strip())
    assert match, lines[0]
    return match.group(1).replace("$$", "$")  # systemd's escape for a literal dollar sign


def cronjob_daily_script() -> str:
    docs = list(yaml.safe_load_all((DEPLOY / "k8s/worker.yaml").read_text()))
    job = next(d for d in docs if d and d["kind"] == "CronJob" and d["metadata"]["name"] == "kompass-daily")
    container = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["sh", "-c"]
    return container["args"][0]


def run_with_stand_in(script: str, kompass: str, tmp_path: Path, failing: str) -> tuple[int, list[str]]:
    log = tmp_path / "calls.log"
    stand_in = tmp_path / "kompass"
    stand_in.write_text(f'#!/bin/sh\necho "$*" >> {log}\n[ "$1" = "{failing}" ] && exit 3\nexit 0\n')
    stand_in.chmod(0o755)
    script = script.replace(kompass, str(stand_in))
    done = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True, timeout=30)
    return done.returncode, log.read_text().splitlines() if log.exists() else []


SYSTEMD_STEPS = ["send-lifecycle-digest", "participation_digest daily", "purge_lottery_data", "purge_jobs",
                 "backup --output-dir /opt/kompass/var/backups --keep-days 30"]


@pytest.mark.parametrize("failing", ["send-lifecycle-digest", "purge_jobs", "none"])
def test_the_daily_unit_runs_every_step_and_fails_when_one_failed(tmp_path, failing):
    code, calls = run_with_stand_in(systemd_daily_script(), SYSTEMD_KOMPASS, tmp_path, failing)
    assert calls == SYSTEMD_STEPS  # the purges before the backup, so purged data is not archived again
    assert code == (0 if failing == "none" else 1)


@pytest.mark.parametrize("failing", ["send-lifecycle-digest", "purge_lottery_data", "none"])
def test_the_daily_cronjob_runs_every_step_and_fails_when_one_failed(tmp_path, failing):
    script = re.sub(r"(^|; )kompass ", r"\1KOMPASS ", cronjob_daily_script())
    code, calls = run_with_stand_in(script, "KOMPASS", tmp_path, failing)
    assert calls == [*SYSTEMD_STEPS[:4], "backup --output-dir /var/lib/kompass/backups --keep-days 30"]
    assert code == (0 if failing == "none" else 1)
