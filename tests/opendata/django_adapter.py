"""A requests transport adapter that sends requests to Django's test client, so real HTTP clients (ckanapi, the
federation harvester) talk to the app in-process, over the same request/response path as a server."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class DjangoTestAdapter(BaseAdapter):
    def __init__(self, client: Client | None = None):
        super().__init__()
        self.client = client or Client()
        self.calls: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.calls.append(f"{request.method} {path}")
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()
                   if k.lower() not in {"content-type", "content-length"}}
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        response = self.client.generic(request.method, path, data=body,
                                       content_type=request.headers.get("Content-Type", "application/octet-stream"),
                                       **headers)
        out = requests.Response()
        out.status_code = response.status_code
        out.headers = CaseInsensitiveDict(dict(response.items()))
        out._content = response.content
        out.url = request.url
        out.request = request
        out.encoding = "utf-8"
        return out

    def close(self):
        pass


def session(client: Client | None = None) -> requests.Session:
    s = requests.Session()
    adapter = DjangoTestAdapter(client)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.adapter = adapter
    return s
