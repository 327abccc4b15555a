"""Lottery service details that the first mutation sample of the platform scope showed unpinned
(docs/mutation/platform.md): the invitation count, the cap on listed problems, the feasibility check's time limit,
the published replacement rule and how much of a person the audit trail forgets. Expected values come from the
documented rules, computed here."""

import hashlib
import sys

import pytest
from django.core.exceptions import ValidationError

from kompass.lottery import services
from kompass.lottery.models import Respondent

from .conftest import QUOTAS, register_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [0, 121])
def test_an_invitation_count_outside_one_to_the_register_size_is_refused(panel, officer, count):
    with pytest.raises(ValidationError) as refused:
        services.invitations_draw(actor=officer, panel=panel, content=register_csv(120), filename="reg.csv",
                                  count=count, strata=["district"], seed="s")
    assert refused.value.messages == [
        f"Aus einem Register mit 120 Einträgen können nicht {count} Personen eingeladen werden."]
    assert len(services.invitations_draw(actor=officer, panel=panel, content=register_csv(120), filename="reg.csv",
                                         count=1, strata=["district"], seed="s")) == 1


def test_a_register_with_many_problems_lists_the_first_fifty(panel, officer):
    lines = ["id;first_name;last_name;street;postcode;district"] + [f";Vor{i};Nach{i};Weg;10000;" for i in range(60)]
    with pytest.raises(ValidationError) as refused:
        services.invitations_draw(actor=officer, panel=panel, content=("\n".join(lines) + "\n").encode(),
                                  filename="reg.csv", count=5, strata=["district"], seed="s")
    messages = refused.value.messages
    # 60 rows with two problems each: the first 50 are listed, in row order (the header is row 1)
    assert len(messages) == 50
    assert messages[:3] == ["Zeile 2, Spalte „id“: leere ID", "Zeile 2, Spalte „district“: leerer Wert",
                            "Zeile 3, Spalte „id“: leere ID"]
    assert messages[-1] == "Zeile 26, Spalte „district“: leerer Wert"


def test_the_feasibility_of_quotas_is_checked_with_thirty_seconds_for_the_solver(pooled, monkeypatch):
    module = sys.modules["kompass.lottery.services.selection"]
    limits, real = [], module.check_feasible

    def spy(inst, time_limit):
        limits.append(time_limit)
        return real(inst, time_limit=time_limit)

    monkeypatch.setattr(module, "check_feasible", spy)
    result = services.feasibility_of(pooled, QUOTAS, pooled.size)
    assert result["ok"] is True and limits == [30.0]


def test_a_replacement_is_the_candidate_with_the_smallest_published_hash(drawn, officer):
    """The published rule: SHA-256 of "replacement", the public seed, the list hash and the pseudonym, joined by
    the unit separator, read as a hexadecimal number; the smallest wins (ties by pseudonym)."""
    leaving = Respondent.objects.filter(panel=drawn, status=Respondent.Status.SELECTED).order_by("pseudonym").first()
    candidates = services.replacement_candidates(drawn, leaving)
    assert len(candidates) >= 2

    def published_rank(pseudonym):
        text = "\x1f".join(["replacement", "42", drawn.list_hash, pseudonym])
        return int(hashlib.sha256(text.encode()).hexdigest(), 16)

    expected = min(candidates, key=lambda r: (published_rank(r.pseudonym), r.pseudonym))
    rep = services.member_replace(actor=officer, panel=drawn, respondent=leaving, seed="42")
    assert rep.chosen.pk == expected.pk


def test_quotas_whose_minimum_equals_their_maximum_are_accepted_and_a_minimum_above_the_maximum_is_not(pooled,
                                                                                                       officer):
    exact = {cat: {v: [lo, lo] for v, (lo, _hi) in values.items()} for cat, values in QUOTAS.items()}
    services.quotas_set(actor=officer, panel=pooled, quotas=exact)
    pooled.refresh_from_db()
    assert pooled.quotas == exact
    cat, values = next(iter(QUOTAS.items()))
    value = next(iter(values))
    broken = {**QUOTAS, cat: {**values, value: [3, 2]}}
    with pytest.raises(ValidationError, match="Es muss 0 ≤ Minimum ≤ Maximum gelten"):
        services.quotas_set(actor=officer, panel=pooled, quotas=broken)


def test_the_published_input_hash_covers_the_households():
    """Two pools that differ only in who shares a household are different inputs of the lottery."""
    from kompass.algorithms.sortition import Respondent as Person
    from kompass.lottery.services.selection import input_hash

    alone = [Person("a", {"g": "f"}), Person("b", {"g": "m"})]
    together = [Person("a", {"g": "f"}, "h1"), Person("b", {"g": "m"}, "h1")]
    apart = [Person("a", {"g": "f"}, "h1"), Person("b", {"g": "m"}, "h2")]
    hashes = {input_hash(pool, QUOTAS, 2, "leximin", 100) for pool in (alone, together, apart)}
    assert len(hashes) == 3


def test_quotas_can_be_saved_again_when_a_computation_was_left_without_a_job(pooled, officer):
    """A panel stuck in "computing" with no job (the worker died before it was recorded) is not locked: saving the
    quotas again lets the office start over."""
    from kompass.lottery.models import Panel

    Panel.objects.filter(pk=pooled.pk).update(stage=Panel.Stage.COMPUTING, job=None)
    pooled.refresh_from_db()
    services.quotas_set(actor=officer, panel=pooled, quotas=QUOTAS)
    pooled.refresh_from_db()
    assert pooled.stage == Panel.Stage.QUOTAS


def test_a_respondent_file_with_many_problems_lists_the_first_fifty(panel, officer):
    lines = ["name,email,address,gender,district"] + [f"N{i},n{i}@example.org,Weg {i},anders,Nirgends"
                                                       for i in range(30)]
    with pytest.raises(ValidationError) as refused:
        services.respondents_import(actor=officer, panel=panel, content=("\n".join(lines) + "\n").encode(),
                                    filename="pool.csv")
    messages = refused.value.messages  # two unknown values in each of 30 rows: the first 50 are listed
    assert len(messages) == 50
    assert messages[0].startswith("Zeile 2, Spalte") and messages[-1].startswith("Zeile 26, Spalte")
    assert not Respondent.objects.filter(panel=panel).exists()


def test_category_values_that_differ_only_in_case_are_refused():
    """Uploaded files are matched to the values ignoring case, so "Mitte" and "mitte" could not be told apart."""
    assert services.parse_categories("Bezirk: Mitte, Pankow") == {"Bezirk": ["Mitte", "Pankow"]}
    with pytest.raises(ValidationError, match="Zeile 1"):
        services.parse_categories("Bezirk: Mitte, mitte")


def test_a_respondent_import_is_all_or_nothing_when_its_audit_event_cannot_be_written(panel, officer, monkeypatch):
    from .conftest import pool_csv

    intake = sys.modules["kompass.lottery.services.intake"]

    def failing(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(intake, "record_event", failing)
    with pytest.raises(RuntimeError):
        services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="pool.csv")
    assert not Respondent.objects.filter(panel=panel).exists()
    panel.refresh_from_db()
    assert panel.stage == "setup"


def test_quotas_of_a_drawn_panel_stay_locked_even_without_a_computation_job(drawn, officer):
    """Only a panel stuck in "computing" may have its quotas saved again; a drawn panel may not, job or none."""
    from kompass.lottery.models import Panel

    Panel.objects.filter(pk=drawn.pk).update(job=None)
    drawn.refresh_from_db()
    with pytest.raises(ValidationError):
        services.quotas_set(actor=officer, panel=drawn, quotas=QUOTAS)
    drawn.refresh_from_db()
    assert drawn.stage == Panel.Stage.DRAWN


def test_a_quota_minimum_of_zero_is_accepted(pooled, officer):
    open_minimum = {**QUOTAS, "district": {**QUOTAS["district"], "Spandau": (0, 3)}}
    services.quotas_set(actor=officer, panel=pooled, quotas=open_minimum)
    pooled.refresh_from_db()
    assert pooled.quotas["district"]["Spandau"] == [0, 3]


def test_a_replacement_never_shares_a_household_with_a_remaining_member(drawn, officer):
    members = list(Respondent.objects.filter(panel=drawn, status=Respondent.Status.SELECTED).order_by("pseudonym"))
    leaving, staying = members[0], members[1]
    pool = Respondent.objects.filter(panel=drawn, status=Respondent.Status.POOL)
    before = {r.pk for r in services.replacement_candidates(drawn, leaving)}
    assert before
    Respondent.objects.filter(pk=staying.pk).update(household="gemeinsam")
    pool.filter(pk__in=before).update(household="gemeinsam")
    # (a pool member who shared the staying member's old household may become a candidate now: not checked)
    assert not {r.pk for r in services.replacement_candidates(drawn, leaving)} & before
    pool.filter(pk__in=before).update(household="")
    assert before <= {r.pk for r in services.replacement_candidates(drawn, leaving)}


def test_a_missing_stratum_column_is_named(panel, officer):
    with pytest.raises(ValidationError) as refused:
        services.invitations_draw(actor=officer, panel=panel, content=register_csv(20), filename="reg.csv", count=5,
                                  strata=["Altersgruppe"], seed="s")
    assert refused.value.messages == ["Zeile 1, Spalte „Altersgruppe“: Schichtungsspalte fehlt"]


def test_starting_a_selection_is_all_or_nothing_when_its_audit_event_cannot_be_written(pooled, officer,
                                                                                        monkeypatch):
    from kompass.jobs.models import Job
    from kompass.lottery.models import Panel

    selection = sys.modules["kompass.lottery.services.selection"]

    def failing(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(selection, "record_event", failing)
    stage, jobs = pooled.stage, Job.objects.count()
    with pytest.raises(RuntimeError):
        services.selection_start(actor=officer, panel=pooled)
    assert Panel.objects.get(pk=pooled.pk).stage == stage and Job.objects.count() == jobs


def test_a_missing_id_column_that_was_named_is_reported(panel, officer):
    with pytest.raises(ValidationError) as refused:
        services.invitations_draw(actor=officer, panel=panel, content=register_csv(20), filename="reg.csv", count=5,
                                  strata=["district"], seed="s", id_column="Kennung")
    assert refused.value.messages[0].startswith("Zeile 1, Spalte „Kennung“:")
