"""Discover the pages and forms of the running site: breadth-first over same-site links from a few seeds, one or two
pages per URL pattern ("page type"), and every <form> on them with its fields."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

SEEDS = ["/", "/measures/", "/ideas/", "/consultations/", "/stadtgremium/", "/monitoring/", "/candidates/",
         "/lessons/", "/collaboration/", "/office/process/", "/moderation/", "/notifications/", "/accounts/settings/",
         "/accounts/tokens/", "/accounts/register/", "/accounts/login/", "/accounts/password-reset/",
         "/stadtgremium/office/", "/monitoring/cycles/", "/ideas/new/", "/consultations/new/", "/measures/new/",
         "/organisations/", "/districts/", "/data/", "/monitoring/cycles/new/", "/stadtgremium/register/"]
SKIP = re.compile(r"\.(pdf|csv|xlsx|zip|json|geojson)$|/logout/|/download/|/static/|/backoffice/|/api/")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values (first = default)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type / "textarea" / "select"


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.links, self.forms, self._form, self._select = page, [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                              (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = a.get("type", "text").lower() if tag in ("input", "button") else tag
            if kind in ("submit", "button", "image", "reset") and tag == "button":
                kind = "submit"
            values = self._form.fields.setdefault(a["name"], [])
            if a.get("value") is not None:
                values.append(a["value"])
            self._form.kinds.setdefault(a["name"], kind)
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._form is not None and self._select and a.get("value") is not None:
            self._form.fields[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_type(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, *, per_type: int = 2, limit: int = 250, extra=()) -> tuple[dict[str, int], list[Form]]:
    """GET pages breadth-first; returns {page type: pages fetched} and the forms found (one per action+method)."""
    queue, seen, forms, per = deque([*SEEDS, *extra]), set(), {}, defaultdict(int)
    statuses = {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or SKIP.search(parts.path):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kind = page_type(parts.path)
        if path in seen or kind is None or per[kind] >= per_type:
            continue
        seen.add(path)
        per[kind] += 1
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Parser(path)
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            forms.setdefault((urlsplit(form.action).path, form.method), form)
        queue.extend(link for link in parser.links if link.startswith(("/", "http://testserver")))
    return statuses, list(forms.values())
