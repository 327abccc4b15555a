"""The personal-data purge also removes the link between respondents and user accounts."""

import pytest

from kompass.lottery import services
from kompass.lottery.models import Respondent

pytestmark = pytest.mark.django_db


def test_purge_clears_respondent_user_links(drawn, officer, make_user):
    member = Respondent.objects.filter(panel=drawn, status="selected").select_related("personal").first()
    make_user(member.personal.email)
    services.group_sync(actor=officer, panel=drawn)
    assert Respondent.objects.filter(panel=drawn, user__isnull=False).exists()
    services.personal_data_purge(actor=officer, panel=drawn, force=True)
    assert not Respondent.objects.filter(panel=drawn, user__isnull=False).exists()
