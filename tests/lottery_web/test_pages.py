"""Pages: the public registration form, quota helper, audit page with SVG and table, PDF, API, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kompass.lottery import selectors, services
from kompass.lottery.models import Invitation, Panel, PersonalData, Respondent

from .conftest import register_csv

pytestmark = pytest.mark.django_db


def test_public_registration_form(client, panel, officer):
    services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=5,
                              strata=["district"], seed="s")
    inv = Invitation.objects.filter(panel=panel).first()
    page = client.get(reverse("lottery:register"), {"code": inv.code})
    body = page.content.decode()
    assert page.status_code == 200 and panel.purpose in body and 'name="consent"' in body
    assert panel.retention_date.strftime("%d.%m.%Y") in body
    data = {"code": inv.code, "name": "Max", "email": "max@example.org", "phone": "", "address": "Weg 1",
            "f__gender": "male", "f__district": "Pankow"}
    no_consent = client.post(reverse("lottery:register"), data)
    assert no_consent.status_code == 200 and not Respondent.objects.exists()
    done = client.post(reverse("lottery:register"), {**data, "consent": "on"})
    assert done.status_code == 200 and Respondent.objects.filter(panel=panel).count() == 1
    again = client.get(reverse("lottery:register"), {"code": inv.code})
    assert "Dieser Einladungscode wurde bereits verwendet." in again.content.decode()  # German is the default
    assert client.get(reverse("lottery:register"), {"code": "XXXX"}).status_code == 200


def test_quota_helper_suggests_and_saves(client, people, pooled):
    client.force_login(people["officer"])
    url = reverse("lottery:quotas", args=[pooled.slug])
    data = {"size": 8, "tolerance": 1, "action": "suggest",
            "q__gender__female__share": "50", "q__gender__male__share": "50",
            "q__district__Mitte__share": "40", "q__district__Pankow__share": "35", "q__district__Spandau__share": "25"}
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="q__gender__female__min" value="3"' in body and 'name="q__gender__female__max" value="5"' in body
    assert 'name="q__district__Spandau__min" value="1"' in body
    save = {**data, "action": "save", "q__gender__female__min": 3, "q__gender__female__max": 5,
            "q__gender__male__min": 3, "q__gender__male__max": 5, "q__district__Mitte__min": 2,
            "q__district__Mitte__max": 4, "q__district__Pankow__min": 2, "q__district__Pankow__max": 4,
            "q__district__Spandau__min": 1, "q__district__Spandau__max": 3}
    assert client.post(url, save).status_code == 302
    pooled.refresh_from_db()
    assert pooled.quotas["district"]["Pankow"] == [2, 4] and pooled.feasibility["ok"]
    assert pooled.population_shares["district"]["Mitte"] == pytest.approx(0.4)
    infeasible = {**save, "q__gender__female__min": 7, "q__gender__female__max": 8}
    client.post(url, infeasible)
    page = client.get(reverse("lottery:manage", args=[pooled.slug]))
    assert "Die Quoten können nicht erfüllt werden" in page.content.decode()
    pooled.refresh_from_db()
    assert not pooled.feasibility["ok"] and pooled.feasibility["relaxation"]


def test_audit_page_pdf_and_api(client, published):
    body = client.get(reverse("lottery:audit", args=[published.slug])).content.decode()
    assert "<svg" in body and "<polyline" in body and "<caption>" in body
    assert published.seed in body and published.input_hash in body
    for r in published.respondents.all():
        assert r.pseudonym in body
    pdf = client.get(reverse("lottery:audit_pdf", args=[published.slug]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    api = client.get(f"/api/lottery-test/lottery/panels/{published.slug}/audit")
    assert api.status_code == 200
    data = api.json()
    assert data["list_hash"] == published.list_hash and len(data["members"]) == 8
    assert all(q["min"] <= q["achieved"] <= q["max"] for q in data["quotas"])
    assert "Zufallsname" not in api.content.decode()
    lottery = client.get(reverse("lottery:lottery_json", args=[published.slug]))
    assert lottery.status_code == 200 and lottery.json()["panels"]


def test_api_hides_unpublished_panels(client, drawn):
    assert client.get(f"/api/lottery-test/lottery/panels/{drawn.slug}/audit").status_code == 404


def test_manage_page_in_every_stage(client, people, drawn):
    client.force_login(people["officer"])
    body = client.get(reverse("lottery:manage", args=[drawn.slug])).content.decode()
    assert 'aria-current="step"' in body and drawn.list_hash in body


def test_results_selector_uses_a_fixed_number_of_queries(published, officer):
    with CaptureQueriesContext(connection) as small:
        selectors.results(published)
        selectors.panel_counts(published)
    extra = [Respondent(panel=published, pseudonym=f"X-{i}", features={"gender": "male", "district": "Mitte"})
             for i in range(40)]
    Respondent.objects.bulk_create(extra)
    with CaptureQueriesContext(connection) as big:
        selectors.results(published)
        selectors.panel_counts(published)
    assert len(big) == len(small) <= 4


def test_bad_user_input_never_gives_a_500(client, people, panel, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["officer"])
    bad = SimpleUploadedFile("r.csv", b"\xff\xfe\x00binary", content_type="text/csv")
    r = client.post(reverse("lottery:invitations_draw", args=[panel.slug]),
                    {"register": bad, "count": 3, "strata": "district", "seed": "s"}, follow=True)
    page = r.content.decode()
    assert r.status_code == 200
    # the whole message, in German, naming the file as the officer named it: no server path, no Python text
    assert "r.csv: Die CSV-Datei ist nicht UTF-8-kodiert (speichern Sie sie als „CSV UTF-8“)." in page
    for leak in ("/tmp", "codec", "can't decode", "0xff", "not UTF-8", "UnicodeDecodeError", "Traceback"):
        assert leak not in page, leak
    assert not Invitation.objects.exists() and not PersonalData.objects.exists()
    panel.refresh_from_db()
    assert panel.stage == Panel.Stage.SETUP and panel.register_size == 0
    services.respondents_import(actor=officer, panel=panel, content=b"gender,district\nmale,Mitte\n", filename="p.csv")
    data = {"size": 8, "tolerance": 1, "action": "save"}
    for c, vals in panel.categories.items():
        for v in vals:
            data[f"q__{c}__{v}__min"], data[f"q__{c}__{v}__max"] = 5, 3
    r = client.post(reverse("lottery:quotas", args=[panel.slug]), data, follow=True)
    assert r.status_code == 200
    panel.refresh_from_db()
    assert panel.quotas == {}
    r = client.post(reverse("lottery:draw", args=[panel.slug]), {"seed": "1"}, follow=True)  # wrong stage
    assert r.status_code == 200 and panel.seed == ""
    r = client.post(reverse("lottery:replace", args=[panel.slug]), {"pseudonym": "nobody", "seed": "1"}, follow=True)
    assert r.status_code == 200


def test_services_check_permissions(people, pooled):
    from django.core.exceptions import PermissionDenied

    for role in ("citizen", "office"):
        with pytest.raises(PermissionDenied):
            services.quotas_set(actor=people[role], panel=pooled, quotas=pooled.quotas)
        with pytest.raises(PermissionDenied):
            services.respondent_export(actor=people[role], respondent=pooled.respondents.first())
