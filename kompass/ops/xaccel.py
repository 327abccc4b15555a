"""Protected files through nginx: with `KOMPASS_X_ACCEL_REDIRECT=/_protected/` a permission-checked view's
FileResponse for a file under the private root or MEDIA_ROOT is replaced by an empty response with an
`X-Accel-Redirect` header; nginx then sends the file itself from its `internal` location (deploy/nginx/).
The views keep doing the permission check; only the byte copying moves out of the Python worker."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse


def _roots() -> list[tuple[str, Path]]:
    from kompass.lifecycle.models import private_root

    return [("private", Path(private_root()).resolve()), ("media", Path(settings.MEDIA_ROOT).resolve())]


def accel_path(filename: str) -> str | None:
    """`/_protected/private/…` for a file under one of the roots, else None."""
    prefix = settings.KOMPASS_X_ACCEL_REDIRECT.rstrip("/")
    path = Path(filename).resolve()
    for name, root in _roots():
        if path.is_relative_to(root):
            return f"{prefix}/{name}/{quote(str(path.relative_to(root)))}"
    return None


class XAccelRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.KOMPASS_X_ACCEL_REDIRECT or not isinstance(response, FileResponse):
            return response
        handle = getattr(response, "file_to_stream", None)
        filename = getattr(handle, "name", None)
        if not isinstance(filename, str):
            return response
        target = accel_path(filename)
        if target is None:
            return response
        redirected = HttpResponse(status=response.status_code)
        for header in ("Content-Type", "Content-Disposition", "Cache-Control", "Content-Language"):
            if header in response:
                redirected[header] = response[header]
        redirected["X-Accel-Redirect"] = target
        handle.close()  # only the file: response.close() would send request_finished in the middle of the request
        return redirected
