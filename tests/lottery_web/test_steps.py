"""The officer's one-call steps on the manage page (one table in lottery/views.py): each moves the stage and
answers in German; a refused step or an invalid form changes nothing and says why."""

import pytest
from django.urls import reverse

from kompass.lottery.models import Panel

pytestmark = pytest.mark.django_db


def test_the_steps_move_the_stage_and_answer_in_german(client, computed, officer):
    client.force_login(officer)

    def step(name, data=None):
        response = client.post(reverse(f"lottery:{name}", args=[computed.slug]), data or {}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("lottery:manage", args=[computed.slug])
        return response.content.decode(), Panel.objects.get(pk=computed.pk).stage

    page, stage = step("draw", {"seed": "1"})  # no draw before the hash is published
    assert stage == Panel.Stage.COMPUTED and "Dieser Schritt ist in der Stufe" in page
    assert "Das Gremium ist ausgelost." not in page
    page, stage = step("hash_publish")
    assert stage == Panel.Stage.HASH_PUBLISHED and "Der Listen-Hash ist veröffentlicht." in page
    page, stage = step("draw", {"seed": ""})  # the form wants a seed
    assert stage == Panel.Stage.HASH_PUBLISHED and "Öffentlicher Startwert (Seed): " in page
    page, stage = step("draw", {"seed": "3 1 4 1 5 9"})
    assert stage == Panel.Stage.DRAWN and "Das Gremium ist ausgelost." in page
    assert Panel.objects.get(pk=computed.pk).seed == "3 1 4 1 5 9"
    page, stage = step("group")
    assert "Die Gruppe des Gremiums ist aktuell." in page
    page, stage = step("publish")
    assert stage == Panel.Stage.PUBLISHED and "Die Prüfseite ist öffentlich." in page
    page, _stage = step("purge")  # without the confirmation nothing is deleted
    assert "Personenbezogene Daten gelöscht." not in page
    assert "endgültig gelöscht werden.: " in page  # the form's error names the unticked box
    page, _stage = step("purge", {"confirm": "on"})
    assert "Personenbezogene Daten gelöscht." in page
