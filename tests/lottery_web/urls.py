"""Test urlconf: the site's patterns plus the lottery pages and API, for as long as config/urls.py does not
include them yet (once it does, the site's own patterns are used unchanged)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path
from ninja import NinjaAPI

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_patterns
from kompass.lottery.api import router


def _has_namespace(patterns, namespace: str) -> bool:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == namespace or _has_namespace(p.url_patterns, namespace):
                return True
    return False


lottery_api = NinjaAPI(urls_namespace="lottery_test_api", title="lottery test")
lottery_api.add_router("/", router)

urlpatterns = [path("api/lottery-test/", lottery_api.urls)]
if not _has_namespace(site_patterns, "lottery"):
    urlpatterns += i18n_patterns(path("", include("kompass.lottery.urls")), prefix_default_language=False)
urlpatterns += site_patterns
