"""Restore drill helper: the answers of every public page type and API endpoint, for comparing an installation
with its restored copy. CSRF tokens (random per response) are blanked; everything else must be identical."""

from __future__ import annotations

import hashlib
import re

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def drill_urls() -> list[str]:
    from kompass.measures.models import Measure
    from kompass.organisations.models import Organisation
    from kompass.participation.models import Idea
    from kompass.strategy.models import District

    measure = Measure.objects.order_by("slug").first()
    org = Organisation.objects.order_by("slug").first()
    district = District.objects.order_by("slug").first()
    idea = Idea.objects.order_by("pk").first()
    urls = ["/", "/values/", "/perspectives/", "/principles/", "/action-fields/", "/districts/", "/organisations/",
            "/measures/", "/measures/?sort=title", "/measures/export.csv", "/data/", "/ideas/", "/consultations/",
            "/monitoring/", "/en/", "/en/measures/", "/api/v1/strategy", "/api/v1/organisations",
            "/api/v1/measures?limit=100", "/api/v1/ideas"]
    if measure:
        urls += [f"/measures/{measure.slug}/", f"/api/v1/measures/{measure.slug}"]
    if org:
        urls.append(f"/organisations/{org.slug}/")
    if district:
        urls.append(f"/districts/{district.slug}/")
    if idea:
        urls.append(f"/ideas/{idea.pk}/")
    return urls


def snapshot(urls: list[str]) -> dict[str, str]:
    from django.test import Client

    client = Client()
    result = {}
    for url in urls:
        response = client.get(url)
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        result[url] = f"{response.status_code}:{hashlib.sha256(_CSRF.sub(b'', body)).hexdigest()}"
    return result
