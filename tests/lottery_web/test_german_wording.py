"""The lottery's findings reach German pages in German: the pure sortition code reports codes with numbers and
kompass.lottery.wording words them (infeasible quotas, input errors, progress steps)."""

import pytest
from django.urls import reverse

from kompass.algorithms.sortition import Respondent, select
from kompass.lottery import services, wording

from .conftest import QUOTAS, pool_csv

pytestmark = pytest.mark.django_db


def test_infeasible_quotas_are_explained_in_german(client, panel, officer):
    services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="p.csv")
    bad = {**QUOTAS, "gender": {"female": (6, 8), "male": (6, 8)}}
    services.quotas_set(actor=officer, panel=panel, quotas=bad)
    panel.refresh_from_db()
    assert panel.feasibility["details"][0] == {"code": "minimums_exceed_size", "category": "gender", "total": 12,
                                               "size": 8}
    client.force_login(officer)
    body = client.get(reverse("lottery:manage", args=[panel.slug]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "gender: Die Mindestzahlen ergeben zusammen 12, mehr als die Gremiumsgröße von 8." in body
    assert "Kein Gremium kann diese Quoten erfüllen." in body and "verschiebt die Quoten um insgesamt" in body
    assert "Mindestzahl</td>" in body
    for english in ("minimums add up", "cannot be satisfied by any panel", "Conflicts:", "Smallest relaxation",
                    ">min<"):
        assert english not in body, english


def test_input_errors_of_the_algorithm_are_worded():
    stored = {"ok": False, "message": "respondent 'x': value 'z' of 'gender' is not in the quotas",
              "error": {"code": "unknown_value", "respondent": "x", "category": "gender", "value": "z"}}
    assert wording.feasibility(stored)["message"] == (
        "Eine Person im Pool hat bei „gender“ den Wert „z“, für den es keine Quote gibt.")


def test_progress_steps_are_codes_the_platform_words():
    pool = [Respondent(f"r{i}", {"g": "a" if i % 2 else "b"}) for i in range(10)]
    steps, lines = [], []
    select(pool, {"g": {"a": (1, 3), "b": (1, 3)}}, 4, seed="1", panels=20, progress=lines.append,
           progress_step=lambda code, params: steps.append((code, params)), progress_info=lambda info: None)
    assert [c for c, _p in steps] == ["feasibility", "optimising", "rounding"] and lines == []
    assert wording.step(*steps[0]) == "10 Personen in 2 Profilen: Es wird geprüft, ob die Quoten erfüllbar sind"
    assert wording.step(*steps[2]) == "Runden auf eine Losliste aus 20 gleich wahrscheinlichen Gremien"
    select(pool, {"g": {"a": (1, 3), "b": (1, 3)}}, 4, seed="1", panels=20, progress=lines.append)
    assert lines[0] == "10 respondents in 2 types; checking feasibility"  # the CLI keeps its English lines
