"""The client's address: REMOTE_ADDR, or — only when BEHIND_PROXY is set — the address the trusted reverse proxy
reports in X-Forwarded-For (django-ipware, counting `PROXY_COUNT` proxies), so people behind the proxy do not all
share one rate-limit bucket and nobody can choose their address by sending the header directly."""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str:
    if request is None:
        return ""
    if not getattr(settings, "BEHIND_PROXY", False):
        return request.META.get("REMOTE_ADDR", "")
    ip, _routable = get_client_ip(request, proxy_count=getattr(settings, "PROXY_COUNT", 1),
                                  request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])
    return ip or request.META.get("REMOTE_ADDR", "")
