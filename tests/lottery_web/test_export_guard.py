"""The lottery's files for people go through the shared guarded writer: a name that a spreadsheet would run as a
formula comes out neutralised. The verification bundle stays byte-stable (it is hashed and machine-read)."""

import csv
import io

import pytest

from kompass.lottery import services
from kompass.lottery.models import PersonalData

from .conftest import register_csv

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x")'


def test_invitation_list_neutralises_a_formula_in_a_name_and_an_address(panel, officer):
    services.invitations_draw(actor=officer, panel=panel, content=register_csv(), filename="register.csv",
                              count=5, strata=["district"], seed="s")
    first = PersonalData.objects.filter(invitation__panel=panel).order_by("invitation__register_id").first()
    first.name, first.address = EVIL, "@SUM(1+1)"
    first.save()
    rows = list(csv.DictReader(io.StringIO(services.invitations_csv(actor=officer, panel=panel))))
    row = next(r for r in rows if r["register_id"] == first.invitation.register_id)
    assert row["name"] == "'" + EVIL and row["address"] == "'@SUM(1+1)"
    assert all(not r["name"].startswith("=") for r in rows)
