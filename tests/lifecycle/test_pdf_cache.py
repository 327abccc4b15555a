"""The anonymous fact-sheet PDF is cached until data changes, and its renders are rate-limited per client."""

import pytest
from django.urls import reverse

from tests.expensive_pdf import assert_pdf_cached_until_a_change_and_limited

pytestmark = pytest.mark.django_db


def test_fact_sheet_pdf_cached_until_a_change_and_renders_limited(client, ready, settings):
    url = reverse("lifecycle:factsheet_pdf", args=[ready.slug])
    assert_pdf_cached_until_a_change_and_limited(client, settings, url, ready, renders=2)
