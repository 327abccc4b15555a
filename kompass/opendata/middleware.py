"""ETag / If-None-Match for the machine-readable endpoints (API, catalogue, downloads, CKAN): Django's
ConditionalGetMiddleware, limited to those paths so that HTML pages keep their behaviour."""

from django.middleware.http import ConditionalGetMiddleware

PREFIXES = ("/api/", "/catalog", "/opendata/")


class OpenDataConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith(PREFIXES):
            return response
        return super().process_response(request, response)
