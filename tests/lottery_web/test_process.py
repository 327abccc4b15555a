"""The panel process end to end through the services: invitations, registration, import, quotas, feasibility,
selection job, hash, public seed, publication, replacement, user group, privacy."""

import datetime
import json
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from kompass.algorithms.sortition import draw, lottery_hash
from kompass.audit.models import AuditEvent
from kompass.core.actors import system_actor
from kompass.jobs.models import Job
from kompass.lottery import services
from kompass.lottery.models import Invitation, Panel, PersonalData, Respondent

from .conftest import QUOTAS, pool_csv, register_csv

pytestmark = pytest.mark.django_db


def test_invitation_draw_is_proportional_seeded_and_keeps_personal_data_apart(panel, officer):
    invs = services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="register.csv",
                                     count=30, strata=["district"], seed="würfel 6 2")
    assert len(invs) == 30 and len({i.code for i in invs}) == 30
    panel.refresh_from_db()
    assert panel.stage == Panel.Stage.INVITED and panel.register_size == 120
    # proportional within strata: each district gets its share of 30 within one seat
    reg = Counter(line.split(";")[-1] for line in register_csv().decode().splitlines()[1:])
    got = Counter(i.strata["district"] for i in invs)
    for d, n in reg.items():
        assert abs(got[d] - 30 * n / 120) < 1
    pd = PersonalData.objects.get(invitation=invs[0])
    assert pd.name.startswith("Vor") and "Weg" in pd.address
    assert "Vor" not in json.dumps(invs[0].strata)
    # the same register and seed give the same people
    other = services.panel_create(actor=officer, slug="zweites", title="Zweites", purpose="p",
                                  retention_date=panel.retention_date, size=8, categories=panel.categories)
    again = services.invitations_draw(actor=officer, panel=other, content=register_csv(), filename="r.csv",
                                      count=30, strata=["district"], seed="würfel 6 2")
    assert sorted(i.register_id for i in again) == sorted(i.register_id for i in invs)
    assert AuditEvent.objects.filter(action="lottery.invitations_drawn").count() == 2
    csv_text = services.invitations_csv(actor=officer, panel=panel)
    assert csv_text.splitlines()[0].startswith("code,register_id,name,address,district")
    assert len(csv_text.splitlines()) == 31
    assert AuditEvent.objects.filter(action="lottery.invitations_downloaded").exists()


def test_invitation_draw_reports_bad_rows_and_writes_nothing(panel, officer):
    bad = b"id;district\nA1;Mitte\nA1;Pankow\nA3;\n"
    with pytest.raises(ValidationError) as exc, translation.override("en"):  # check the English wording
        services.invitations_draw(actor=officer, panel=panel, content=bad, filename="r.csv", count=1,
                                  strata=["district"], seed="x")
    text = " ".join(exc.value.messages)
    assert "row 3" in text and "duplicate" in text and "row 4" in text and "district" in text
    assert not Invitation.objects.filter(panel=panel).exists()
    with pytest.raises(ValidationError):
        services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=5,
                                  strata=["bezirk"], seed="x")


def test_public_registration_needs_a_valid_unused_code_and_consent(panel, officer):
    inv = services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=3,
                                    strata=["district"], seed="s")[0]
    kwargs = dict(name="Erika Mustermann", email="erika@example.org", phone="", address="Hauptstr. 1",
                  features={"gender": "female", "district": "Mitte"})
    with pytest.raises(ValidationError):
        services.respondent_register(actor=None, code=inv.code, consent=False, **kwargs)
    with pytest.raises(ValidationError):
        services.respondent_register(actor=None, code="NOPE", consent=True, **kwargs)
    with pytest.raises(ValidationError):
        services.respondent_register(actor=None, code=inv.code, consent=True,
                                     **{**kwargs, "features": {"gender": "x", "district": "Mitte"}})
    r = services.respondent_register(actor=None, code=inv.code.lower(), consent=True, **kwargs)
    assert r.pseudonym.startswith("R-") and r.consent_at and r.household
    assert r.personal.name == "Erika Mustermann" and "Erika" not in json.dumps(r.features)
    with pytest.raises(ValidationError):
        services.respondent_register(actor=None, code=inv.code, consent=True, **kwargs)
    ev = AuditEvent.objects.get(action="lottery.respondent_registered")
    assert ev.actor is None and ev.actor_label == "public form"


def test_import_is_all_or_nothing_with_row_and_column(panel, officer):
    bad = b"name,gender,district\nA,female,Mitte\nB,other,Mitte\nC,male,Mars\n"
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.respondents_import(actor=officer, panel=panel, content=bad, filename="pool.csv")
    msgs = exc.value.messages
    assert any("row 3" in m and "gender" in m for m in msgs) and any("row 4" in m and "district" in m for m in msgs)
    assert not Respondent.objects.filter(panel=panel).exists()
    assert services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="p.csv") == 30
    assert PersonalData.objects.filter(panel=panel, respondent__isnull=False).count() == 30


def test_quota_suggestion_from_population_shares():
    s = services.suggest_quotas({"gender": {"female": 0.51, "male": 0.49}}, 70, tolerance=2)
    assert s == {"gender": {"female": [34, 38], "male": [32, 36]}}
    assert services.suggest_quotas({"a": {"x": 0.0, "y": 1.0}}, 10, 3) == {"a": {"x": [0, 3], "y": [7, 10]}}


def test_infeasible_quotas_are_explained_with_a_relaxation(panel, officer):
    services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="p.csv")
    bad = {**QUOTAS, "gender": {"female": (6, 8), "male": (6, 8)}}
    result = services.quotas_set(actor=officer, panel=panel, quotas=bad)
    assert not result["ok"]
    assert "minimums add up to 12" in result["message"]
    assert result["relaxation"] and all(r["category"] == "gender" for r in result["relaxation"])
    with pytest.raises(ValidationError):
        services.selection_start(actor=officer, panel=panel)
    assert not Job.objects.filter(kind="lottery.select").exists()


def test_selection_job_hash_seed_and_publication(computed, officer):
    panel = computed
    assert panel.stage == Panel.Stage.COMPUTED
    job = Job.objects.get(kind="lottery.select")
    assert job.status == Job.Status.DONE and job.progress_done == 10
    assert panel.list_hash == lottery_hash(panel.lottery) and len(panel.lottery["panels"]) == 200
    assert 0 < panel.summary["min_probability"] <= 8 / 30 + 1e-6 <= panel.summary["max_probability"] + 1e-6
    probs = list(Respondent.objects.filter(panel=panel).values_list("probability", flat=True))
    assert abs(sum(probs) - 8) < 1e-6
    with pytest.raises(ValidationError):  # no draw before the hash is published
        services.panel_draw(actor=officer, panel=panel, seed="1")
    services.hash_publish(actor=officer, panel=panel)
    members = services.panel_draw(actor=officer, panel=panel, seed="3 1 4 1 5 9")
    panel.refresh_from_db()
    assert len(members) == 8
    # the same published list and seed always give the same panel; anyone can recompute it
    assert draw(panel.lottery, "3 1 4 1 5 9", panel.list_hash)[1] == members
    assert sorted(Respondent.objects.filter(panel=panel, status="selected").values_list("pseudonym", flat=True)) \
        == members
    counts = Counter((c, r.features[c]) for r in Respondent.objects.filter(panel=panel, status="selected")
                     for c in QUOTAS)
    for c, vals in QUOTAS.items():
        for v, (lo, hi) in vals.items():
            assert lo <= counts[(c, v)] <= hi
    services.panel_publish(actor=officer, panel=panel)
    actions = set(AuditEvent.objects.filter(action__startswith="lottery.").values_list("action", flat=True))
    assert {"lottery.selection_started", "lottery.lottery_computed", "lottery.hash_published",
            "lottery.panel_drawn", "lottery.published", "lottery.quotas_set"} <= actions


def test_recomputing_the_same_inputs_gives_the_same_list_hash(computed, officer, django_capture_on_commit_callbacks):
    first = computed.list_hash
    services.quotas_set(actor=officer, panel=computed, quotas=QUOTAS)  # invalidates the computed lottery
    computed.refresh_from_db()
    assert computed.stage == Panel.Stage.QUOTAS and not computed.list_hash
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=computed)
    computed.refresh_from_db()
    assert computed.list_hash == first


def test_replacement_keeps_all_quotas_and_is_reproducible(drawn, officer):
    leaving = Respondent.objects.filter(panel=drawn, status="selected").order_by("pseudonym").first()
    candidates = services.replacement_candidates(drawn, leaving)
    assert candidates
    rep = services.member_replace(actor=officer, panel=drawn, respondent=leaving, seed="42")
    assert rep.chosen.pseudonym in rep.candidates == [c.pseudonym for c in candidates]
    members = Respondent.objects.filter(panel=drawn, status__in=["selected", "replacement"])
    assert members.count() == 8
    counts = Counter((c, r.features[c]) for r in members for c in QUOTAS)
    for c, vals in QUOTAS.items():
        for v, (lo, hi) in vals.items():
            assert lo <= counts[(c, v)] <= hi
    leaving.refresh_from_db()
    assert leaving.status == "left"
    with pytest.raises(ValidationError):  # someone who left cannot leave again
        services.member_replace(actor=officer, panel=drawn, respondent=leaving, seed="42")
    ev = AuditEvent.objects.get(action="lottery.member_replaced")
    assert ev.changes["chosen"][1] == rep.chosen.pseudonym


def test_group_sync_creates_a_panel_user_group(drawn, officer, make_user):
    from kompass.accounts.models import UserGroup

    citizen = make_user("member-of-panel@example.org")
    member = Respondent.objects.filter(panel=drawn, status="selected").first()
    Respondent.objects.filter(pk=member.pk).update(user=citizen)
    group = services.group_sync(actor=officer, panel=drawn)
    assert group.kind == UserGroup.Kind.PANEL and list(group.members.all()) == [citizen]
    assert services.group_sync(actor=officer, panel=drawn).pk == group.pk
    drawn.refresh_from_db()
    assert drawn.group_id == group.pk


def test_data_subject_export_and_purge_keep_the_audit(published, officer):
    r = Respondent.objects.filter(panel=published).first()
    data = services.respondent_export(actor=officer, respondent=r)
    assert data["pseudonym"] == r.pseudonym and data["personal_data"]["name"].startswith("Vorname")
    assert data["panel"]["retention_date"] == published.retention_date.isoformat()
    json.dumps(data)
    assert AuditEvent.objects.filter(action="lottery.respondent_exported").exists()
    call_command("purge_lottery_data")  # retention date not reached: nothing happens
    assert PersonalData.objects.filter(panel=published).count() == 30
    later = published.retention_date + datetime.timedelta(days=1)
    call_command("purge_lottery_data", today=later.isoformat())
    assert not PersonalData.objects.filter(panel=published).exists()
    r.refresh_from_db()
    assert r.probability is not None and r.features and (not r.household or r.household.startswith("H-"))
    assert sorted(Respondent.objects.filter(panel=published).values_list("household", flat=True)) \
        == [""] * 28 + ["H-1", "H-1"]
    published.refresh_from_db()
    assert published.personal_data_purged_at and published.list_hash
    ev = AuditEvent.objects.get(action="lottery.personal_data_purged")
    assert ev.actor is None and ev.changes["deleted"][1] == 30


def test_group_sync_links_members_by_email(drawn, officer, make_user):
    member = Respondent.objects.filter(panel=drawn, status="selected").select_related("personal").first()
    user = make_user(member.personal.email.upper())
    group = services.group_sync(actor=officer, panel=drawn)
    member.refresh_from_db()
    assert member.user == user and list(group.members.all()) == [user]
    ev = AuditEvent.objects.get(action="lottery.group_synced")
    assert ev.changes["linked_by_email"][1] == [member.pseudonym]


def test_registering_while_logged_in_links_the_account(panel, officer, make_user):
    citizen = make_user("buerger@example.org")
    inv = services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=1,
                                    strata=["district"], seed="s")[0]
    r = services.respondent_register(actor=citizen, code=inv.code, name="B", email="", phone="1", address="A 1",
                                     features={"gender": "male", "district": "Mitte"}, consent=True)
    assert r.user == citizen
    assert AuditEvent.objects.get(action="lottery.respondent_registered").actor == citizen


def test_officer_purge_deletes_register_ids_and_personal_data(panel, officer):
    services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="r.csv", count=5,
                              strata=["district"], seed="s")
    out = services.personal_data_purge(actor=officer, panel=panel, force=True)
    assert out == {panel.slug: 5}
    assert all(i.startswith("deleted-") for i in Invitation.objects.filter(panel=panel)
               .values_list("register_id", flat=True))
    assert not PersonalData.objects.filter(panel=panel).exists()
    assert AuditEvent.objects.get(action="lottery.personal_data_purged").actor == officer


def test_verification_bundle_is_checked_by_the_cli(published, officer, tmp_path):
    import io
    import zipfile

    from kompass.lottery import cli
    from kompass.lottery.bundle import bundle

    def check(data: bytes, where) -> int:
        zipfile.ZipFile(io.BytesIO(data)).extractall(where)
        folder = where / published.slug
        return cli.main(["verify", "--pool", str(folder), "--report", str(folder / "report.json"), "-q"])

    assert check(bundle(published), tmp_path / "a") == 0
    leaving = Respondent.objects.filter(panel=published, status="selected").first()
    services.member_replace(actor=officer, panel=published, respondent=leaving, seed="7")
    later = published.retention_date + datetime.timedelta(days=1)
    services.personal_data_purge(actor=system_actor("purge test"), today=later)
    assert check(bundle(published), tmp_path / "b") == 0  # still verifiable after replacement and purge
    tampered = tmp_path / "c"
    zipfile.ZipFile(io.BytesIO(bundle(published))).extractall(tampered)
    pool = tampered / published.slug / "respondents.csv"
    pool.write_text(pool.read_text().replace("female", "male", 1))
    folder = tampered / published.slug
    assert cli.main(["verify", "--pool", str(folder), "--report", str(folder / "report.json"), "-q"]) == 1


def test_a_failing_computation_returns_to_the_quotas_stage(pooled, officer, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    from kompass.lottery import tasks

    def boom(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(tasks, "select", boom)
    with django_capture_on_commit_callbacks(execute=True):  # the task backend records the exception
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    assert pooled.stage == Panel.Stage.QUOTAS and not pooled.list_hash
    assert Job.objects.get(kind="lottery.select").status == Job.Status.FAILED
    assert AuditEvent.objects.filter(action="lottery.selection_failed").exists()


def test_time_limit_keeps_a_valid_lottery_and_the_officer_can_continue(pooled, officer, client, settings,
                                                                      django_capture_on_commit_callbacks):
    from django.urls import reverse

    settings.LOTTERY_TIME_LIMIT = 1e-6
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    assert pooled.stage == Panel.Stage.COMPUTED and pooled.summary["complete"] is False
    assert pooled.solver_state and pooled.solver_state["panels"]
    assert len(pooled.lottery["panels"]) == 200  # a valid uniform lottery all the same
    for composition in pooled.lottery["panels"]:
        assert sum(composition) == 8
    cert = pooled.summary["certificate"]
    assert cert["min_probability_lower"] <= cert["min_probability_upper"]
    client.force_login(officer)
    with translation.override("de"):
        page = client.get(reverse("lottery:manage", args=[pooled.slug]), HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Noch nicht vollständig optimal." in html and "Berechnung fortsetzen" in html
    # continue from the saved state with the normal time limit: complete and optimal
    settings.LOTTERY_TIME_LIMIT = 300.0
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    assert pooled.stage == Panel.Stage.COMPUTED and pooled.summary["complete"] is True
    assert pooled.solver_state is None
    assert AuditEvent.objects.filter(action="lottery.selection_resumed").exists()
    page = client.get(reverse("lottery:manage", args=[pooled.slug]))
    assert "Berechnung fortsetzen" not in page.content.decode()
    # a complete lottery cannot be "continued" again
    with pytest.raises(ValidationError):
        services.selection_start(actor=officer, panel=pooled)


def test_goldilocks_time_limit_keeps_a_valid_lottery_marked_not_optimal(pooled, officer, client, settings,
                                                                       django_capture_on_commit_callbacks):
    from django.urls import reverse

    pooled.algorithm = "goldilocks"
    pooled.save(update_fields=["algorithm"])
    settings.LOTTERY_TIME_LIMIT = 1e-6
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    assert pooled.stage == Panel.Stage.COMPUTED and pooled.summary["complete"] is False
    assert pooled.summary["certificate"]["method"] == "goldilocks" and pooled.solver_state["panels"]
    assert len(pooled.lottery["panels"]) == 200
    for composition in pooled.lottery["panels"]:
        assert sum(composition) == 8
    client.force_login(officer)
    with translation.override("de"):
        html = client.get(reverse("lottery:manage", args=[pooled.slug]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Noch nicht vollständig optimal." in html and "am besten ausgleicht" in html
    assert "Berechnung fortsetzen" in html
    settings.LOTTERY_TIME_LIMIT = 300.0
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_start(actor=officer, panel=pooled)
    pooled.refresh_from_db()
    assert pooled.summary["complete"] is True and pooled.solver_state is None


def test_progress_text_names_level_profiles_and_bounds_in_german():
    from kompass.lottery.tasks import progress_text

    with translation.override("de"):
        text = progress_text({"level": 3, "fixed": 12, "types": 40, "lower": 0.05, "upper": 0.0625})
    assert text == ("Stufe 3: 12 von 40 Profilen festgelegt; niedrigste Wahrscheinlichkeit zwischen 5,0000 % und "
                    "6,2500 %")


@pytest.mark.parametrize("gone", ["deactivated", "deleted"])
def test_a_lottery_whose_officer_is_gone_stops_instead_of_running_as_system(
        pooled, officer, gone, django_capture_on_commit_callbacks):
    """The job used to fall back to a system actor (every right) when its starter's account was deleted."""
    with django_capture_on_commit_callbacks(execute=False) as enqueue:
        job = services.selection_start(actor=officer, panel=pooled)
    assert job.task_args == [pooled.pk, officer.pk]
    if gone == "deleted":
        officer.delete()
    else:
        officer.is_active = False
        officer.save(update_fields=["is_active"])
    for callback in enqueue:
        callback()
    job.refresh_from_db()
    pooled.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert pooled.stage == Panel.Stage.QUOTAS and not pooled.list_hash  # back to quotas, nothing computed
    assert not AuditEvent.objects.filter(action="lottery.lottery_computed").exists()
