"""A measure title cannot become a live formula in the public catalogue download."""

import csv
import io

import pytest
from django.urls import reverse

from kompass.measures.models import Measure

pytestmark = pytest.mark.django_db


def test_formula_title_is_neutralised_in_the_public_csv(client, berlin):
    measure = berlin.measures.order_by("pk").first()
    Measure.objects.filter(pk=measure.pk).update(title="=1+1", summary="@SUM(A1:A9)")
    body = client.get(reverse("measures:catalogue_csv")).content.decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body, newline=""))}
    assert rows[measure.slug][1] == "'=1+1"
    assert rows[measure.slug][-1] == "'@SUM(A1:A9)"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows.values() for cell in row)
