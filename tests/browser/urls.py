"""Test urlconf of the page-type tests (tests/browser/pages.py): the site's patterns plus one address that fails, so
the server-error page (500.html, shown by handler500) is checked and photographed like every other page type."""

from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_patterns


def server_error(request):
    raise RuntimeError("a deliberate failure: the test of the server-error page")


urlpatterns = [path("__test__/server-error/", server_error), *site_patterns]
