from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
    path("", include("kompass.ops.urls")),  # /healthz, /readyz, /metrics
    path("", include("kompass.opendata.urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("kompass.accounts.urls")),
    path("jobs/", include("kompass.jobs.urls")),
    path("", include("kompass.lifecycle.urls")),
    path("", include("kompass.monitoring.urls")),
    path("", include("kompass.participation.urls")),
    path("", include("kompass.lottery.urls")),
    path("", include("kompass.measures.urls")),
    path("", include("kompass.opendata.urls_pages")),
    path("", include("kompass.portal.urls")),
    prefix_default_language=False,
)

handler404 = "kompass.portal.views.error_404"
handler403 = "kompass.portal.views.error_403"
handler500 = "kompass.ops.unavailable.server_error"  # 503 + Retry-After while the database is unreachable
