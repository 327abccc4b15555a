"""Cities learning from each other, tested with two Kompass instances on loopback following each other: this test
process serves Berlin, a second process (gunicorn, its own SQLite database) serves the example city."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kompass.core.actors import system_actor

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ACTOR = system_actor("federation-test")


def _free_port(exclude=()) -> int:
    for port in range(19000, 19500):
        if port in exclude:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 19000–19499")


class Peer:
    """The example city as a separate Kompass process."""

    def __init__(self, tmp: Path):
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.opendata.peer_settings", "KOMPASS_TESTING": "1",
                    "KOMPASS_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{tmp}/peer.sqlite3"}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def manage(self, *args) -> str:
        result = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def start(self):
        self.manage("migrate", "--run-syncdb", "--noinput")
        self.manage("load_strategy", "data/strategies/example-city.yaml")
        self.shell("from kompass.core.actors import system_actor as s; from kompass.lifecycle.services import "
                   "lesson_create as c; from kompass.measures.models import Measure as M; "
                   "m = M.objects.get(title='Datenportal Neustadt'); c(actor=s('t'), measure=m, "
                   "title='Offene Daten brauchen Pflege', what_worked='Ein fester Termin pro Monat.', "
                   "what_did_not='Datensätze ohne Verantwortliche veralten.', "
                   "recommendation='Für jeden Datensatz eine verantwortliche Stelle benennen.', tags='Daten')")
        self.process = subprocess.Popen([str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{self.port}", "-w",
                                         "1", "--timeout", "60"], cwd=ROOT, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the peer instance did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def peer(tmp_path):
    instance = Peer(tmp_path)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()


@pytest.fixture
def berlin_server(berlin_committed):
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(f"127.0.0.1:{_free_port()}")
    yield server
    server.stop()


@pytest.mark.slow
def test_two_instances_follow_each_other(peer, berlin_server, berlin_committed, make_user, client):
    from kompass.lifecycle.services import lesson_create
    from kompass.opendata import selectors, services
    from kompass.opendata.models import HarvestedRecord

    berlin = berlin_committed
    # Berlin follows the example city and harvests its measures and lessons learned.
    source = services.source_follow(actor=ACTOR, name="Neustadt", url=peer.url)
    report = services.harvest(actor=ACTOR, source=source)
    assert report.error == "" and report.created >= 6
    measures = HarvestedRecord.objects.filter(source=source, kind="measure")
    assert measures.count() == 5 and all(r.licence_id == "cc-by/4.0" for r in measures)
    lesson = HarvestedRecord.objects.get(source=source, kind="lesson")
    assert lesson.title == "Offene Daten brauchen Pflege" and lesson.parent_title == "Datenportal Neustadt"
    assert lesson.parent_url.startswith(peer.url + "/measures/")
    page = client.get("/lessons/other-cities/").content.decode()
    assert "Offene Daten brauchen Pflege" in page and "Neustadt" in page

    # "Similar measures in other cities" on a Berlin measure page, with a link back and the licence.
    candidates = [(m, selectors.similar_measures(m)) for m in berlin.measures.prefetch_related("action_fields")]
    measure, similar = next((m, s) for m, s in candidates if s)
    record = similar[0][0]
    html = client.get(f"/measures/{measure.slug}/").content.decode()
    assert record.title in html and f'href="{record.url}"' in html

    # A coordinator records that the Berlin measure adapts the other city's measure.
    office = make_user("office-fed@example.org", office=True)
    client.force_login(office)
    response = client.post(f"/measures/{measure.slug}/other-cities/link/", {"record": record.pk,
                                                                             "relation": "adapts"})
    assert response.status_code == 302
    assert record.title in client.get(f"/measures/{measure.slug}/").content.decode()
    assert measure.federated_origins.get().remote_url == record.url

    # The source changes: one measure renamed, one deleted -> updated and withdrawn on the next harvest.
    peer.shell("from kompass.core.actors import system_actor as s; from kompass.measures import services as v; "
               "from kompass.measures.models import Measure as M; "
               "v.measure_update(actor=s('t'), measure=M.objects.get(title='Termin ohne Warten'), "
               "data={'title': 'Termine ohne Wartezeit'}); "
               "v.measure_delete(actor=s('t'), measure=M.objects.get(title='Fährfahrplan in Echtzeit'))")
    again = services.harvest(actor=ACTOR, source=source)
    assert (again.updated, again.withdrawn, again.error) == (1, 1, "")
    assert measures.filter(title="Termine ohne Wartezeit", state="active").exists()
    assert measures.get(title="Fährfahrplan in Echtzeit").state == "withdrawn"
    assert services.harvest(actor=ACTOR, source=source).unchanged >= 5

    # And the example city follows Berlin: its harvest command reads this process's CKAN API.
    lesson_create(actor=ACTOR, measure=berlin.measures.order_by("slug").first(), title="Früh mit den Bezirken reden",
                  what_worked="Gemeinsame Workshops.", what_did_not="Späte Abstimmung.",
                  recommendation="Bezirke von Anfang an einbinden.")
    peer.manage("follow", berlin_server.url, "--name", "Berlin")
    out = peer.manage("harvest")
    assert "Berlin:" in out and " new" in out
    with urllib.request.urlopen(f"{peer.url}/lessons/other-cities/", timeout=20) as r:
        library = r.read().decode()
    assert "Früh mit den Bezirken reden" in library and "Berlin" in library


def test_a_failed_harvest_changes_nothing(berlin):
    from kompass.opendata import federation, services
    from kompass.opendata.models import HarvestedRecord

    source = services.source_follow(actor=ACTOR, name="Nirgendwo", url="http://127.0.0.1:9/")

    def broken(url):
        raise federation.FetchError(f"{url}: connection refused")

    HarvestedRecord.objects.create(source=source, kind="measure", remote_id="x", title="Alt", content_hash="h",
                                   changed_at="2024-01-01T00:00:00Z")
    report = services.harvest(actor=ACTOR, source=source, get=broken)
    assert "connection refused" in report.error
    assert (report.created, report.updated, report.unchanged, report.withdrawn, report.restored) == (0, 0, 0, 0, 0)
    assert HarvestedRecord.objects.get(remote_id="x").state == "active"
    source.refresh_from_db()
    assert source.last_status == "error"


def test_only_the_office_follows_sources(berlin, make_user):
    from django.core.exceptions import PermissionDenied

    from kompass.opendata import services
    from kompass.opendata.models import Source

    with pytest.raises(PermissionDenied):
        services.source_follow(actor=make_user("citizen-fed@example.org"), name="X", url="http://127.0.0.1:9/")
    assert not Source.objects.exists()


def test_linking_needs_the_replication_right(client, berlin, make_user):
    from kompass.opendata import services
    from kompass.opendata.models import HarvestedRecord, Replication

    source = services.source_follow(actor=ACTOR, name="Neustadt", url="http://127.0.0.1:9/")
    record = HarvestedRecord.objects.create(source=source, kind="measure", remote_id="r", url="http://127.0.0.1:9/m/",
                                            title="Fremde Maßnahme", content_hash="h",
                                            changed_at="2024-01-01T00:00:00Z")
    measure = berlin.measures.order_by("slug").first()
    client.force_login(make_user("citizen-link@example.org"))
    response = client.post(f"/measures/{measure.slug}/other-cities/link/", {"record": record.pk,
                                                                             "relation": "replicates"})
    assert response.status_code == 403 and not Replication.objects.exists()
    client.force_login(make_user("office-link@example.org", office=True))
    bad = client.post(f"/measures/{measure.slug}/other-cities/link/", {"record": record.pk, "relation": "steals"})
    assert bad.status_code == 302 and not Replication.objects.exists()
    nul = client.post(f"/measures/{measure.slug}/other-cities/link/", {"record": "x\x00"})
    assert nul.status_code == 400 and not Replication.objects.exists()  # refused by the input sanity check
