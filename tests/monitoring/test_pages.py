import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_public_pages_render(seeded, client):
    for url in ["/monitoring/", "/monitoring/?action_field=intelligente-datennutzung", "/monitoring/cycles/",
                "/monitoring/cycles/zyklus-2024/", "/monitoring/cycles/zyklus-2025/",
                "/monitoring/indicators/bsp-nachnutzungen/", "/monitoring/indicators/bsp-gebaeude-erfasst/",
                "/monitoring/indicators/bsp-bauteile-wiederverwendet/",
                "/measures/barrierefreie-wegeinformationen-aemter/", "/en/monitoring/",
                "/monitoring/cycles/zyklus-2024/report/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/monitoring/indicators/nope/").status_code == 404
    assert client.get("/monitoring/cycles/nope/").status_code == 404


def test_dashboard_shows_every_status_class_and_filters_like_the_catalogue(seeded, client):
    page = client.get("/en/monitoring/").content.decode()
    for label in ["Target achieved", "On track", "Acceleration needed", "Limited progress", "Deterioration",
                  "Not assessable yet"]:
        assert label in page, label
    filtered = client.get("/en/monitoring/?district=neukoelln").content.decode()
    assert "/measures/schulhoefe-digital-buchen/" in filtered and "bodenfeuchte" not in filtered
    assert "Unknown value" in client.get("/en/monitoring/?district=atlantis").content.decode()


def test_indicator_page_shows_method_components_history_chart_and_table(seeded, client):
    page = client.get("/en/monitoring/indicators/bsp-gebaeude-erfasst/").content.decode()
    assert '<svg class="mon-chart"' in page and 'class="target old"' in page  # superseded target in grey
    assert "Linear achievement" in page and "Share of time elapsed" in page and "Ratio" in page
    assert "Realistischer Zeitplan" in page and "Zielvereinbarung 2022" in page  # both target versions
    assert "26 von 60 Gebäuden erfasst." in page  # the last review's assessment
    assert "<caption>Measured values (Gebäude)</caption>" in page
    district = client.get("/monitoring/indicators/bsp-nachnutzungen/").content.decode()
    assert 'class="district-map"' in district and "Neukölln" in district


def test_downloads_csv_and_datapackage(seeded, client):
    csv = client.get("/monitoring/indicators/bsp-nachnutzungen/data.csv").content.decode()
    lines = csv.strip().splitlines()
    assert lines[0] == "indicator,period,value,unit,district,provisional,source_note"
    assert "bsp-nachnutzungen,2025-01-01,2,Nachnutzungen,neukoelln,no" in csv
    package = json.loads(client.get("/monitoring/indicators/bsp-nachnutzungen/datapackage.json").content)
    resource = package["resources"][0]
    assert package["profile"] == "tabular-data-package" and resource["path"].endswith("/data.csv")
    assert [f["name"] for f in resource["schema"]["fields"]] == lines[0].split(",")


def test_indicator_csv_neutralises_formulas_but_keeps_negative_numbers(seeded, client):
    import csv as csvmodule
    import io

    from kompass.monitoring.models import Indicator

    evil = '=HYPERLINK("http://x")'
    ind = Indicator.objects.get(slug="bsp-nachnutzungen")
    ind.unit = evil
    ind.save(update_fields=["unit"])
    m = ind.measurements.order_by("pk").first()
    m.source_note, m.value = "+1 Zeile", -2.5
    m.save(update_fields=["source_note", "value"])
    body = client.get("/monitoring/indicators/bsp-nachnutzungen/data.csv").content.decode()
    rows = list(csvmodule.DictReader(io.StringIO(body)))
    assert rows and all(r["unit"] == "'" + evil for r in rows)
    assert any(r["source_note"] == "'+1 Zeile" and r["value"] == "-2.5" for r in rows)


def test_measure_page_shows_the_impact_chain(seeded, client):
    page = client.get("/en/measures/bodenfeuchte-sensoren-strassenbaeume/").content.decode()
    assert "Impact chain and progress" in page and "Funding EUR 480,000" in page
    assert "Funding and staff allow about 80 sensors" in page  # the assumption of a link
    assert "/en/monitoring/indicators/bsp-sensoren-installiert/" in page
    plain = client.get("/en/measures/smart-water/").content.decode()
    assert "Impact chain and progress" not in plain  # no chain, visitor: nothing shown


def test_load_monitoring_rejects_bad_files(seeded, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: kompass-monitoring-v1\nstrategy: berlin-gdb\nexamples_only: true\n"
                   "measures:\n  - measure: smart-water\n    goals: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not marked as an illustrative example"):
        call_command("load_monitoring", str(bad))
    bad.write_text("schema: other\n", encoding="utf-8")
    with pytest.raises(CommandError, match="schema"):
        call_command("load_monitoring", str(bad))
    bad.write_text("schema: kompass-monitoring-v1\nstrategy: berlin-gdb\nmeasures:\n"
                   "  - measure: smart-water\n    goals:\n      - {slug: g, level: output, title: T, indicators: "
                   "[{slug: x1, name: X, unit: u, baseline: {value: 1, date: 2020}, series: {2021: zwei}}]}\n",
                   encoding="utf-8")
    from django.utils import translation

    from kompass.monitoring.models import Goal

    with translation.override("en"), pytest.raises(CommandError, match="is not a number"):
        call_command("load_monitoring", str(bad))
    assert not Goal.objects.filter(measure__slug="smart-water").exists()  # nothing half-loaded


def test_dashboard_shows_the_lifecycle_phase_when_that_app_provides_one(seeded, client):
    from kompass.monitoring.selectors import lifecycle_phases

    phases = lifecycle_phases(seeded)
    page = client.get("/monitoring/").content.decode()
    if phases is None:
        assert "<th scope=\"col\">Phase</th>" not in page
    else:
        assert phases[0].name in page
