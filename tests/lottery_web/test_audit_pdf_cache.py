"""The anonymous lottery audit PDF is cached until data changes, and its renders are rate-limited per client."""

import pytest
from django.urls import reverse

from tests.expensive_pdf import assert_pdf_cached_until_a_change_and_limited

pytestmark = pytest.mark.django_db


def test_audit_pdf_cached_until_a_change_and_renders_limited(client, published, settings):
    url = reverse("lottery:audit_pdf", args=[published.slug])
    assert_pdf_cached_until_a_change_and_limited(client, settings, url, published, renders=1)
