"""Protected files handed to nginx with X-Accel-Redirect after the view's permission check (issue 12)."""

from django.http import FileResponse
from django.test import RequestFactory

from kompass.ops.xaccel import XAccelRedirectMiddleware


def _serve(path):
    def view(request):
        return FileResponse(open(path, "rb"), as_attachment=True, filename="Protokoll.txt")  # noqa: SIM115
    return XAccelRedirectMiddleware(view)(RequestFactory().get("/x"))


def test_private_file_goes_through_nginx_when_configured(tmp_path, settings):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    target = tmp_path / "private/lifecycle/2026/12/Protokoll März.txt"
    target.parent.mkdir(parents=True)
    target.write_text("geheim")
    settings.KOMPASS_X_ACCEL_REDIRECT = "/_protected/"
    response = _serve(target)
    assert response["X-Accel-Redirect"] == "/_protected/private/lifecycle/2026/12/Protokoll%20M%C3%A4rz.txt"
    assert response.content == b""
    assert 'filename="Protokoll.txt"' in response["Content-Disposition"]


def test_without_the_setting_or_outside_the_roots_the_file_is_sent_by_django(tmp_path, settings):
    settings.KOMPASS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    inside = tmp_path / "private/a.txt"
    inside.parent.mkdir()
    inside.write_text("a")
    settings.KOMPASS_X_ACCEL_REDIRECT = ""
    response = _serve(inside)
    assert "X-Accel-Redirect" not in response and b"".join(response.streaming_content) == b"a"
    settings.KOMPASS_X_ACCEL_REDIRECT = "/_protected/"
    elsewhere = tmp_path / "schema.json"
    elsewhere.write_text("{}")
    response = _serve(elsewhere)
    assert "X-Accel-Redirect" not in response and b"".join(response.streaming_content) == b"{}"
