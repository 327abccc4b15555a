"""Private file storage of the lifecycle app: files outside MEDIA_ROOT (logbook attachments, uploads
waiting for an import), served only through permission-checked views."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


def private_root() -> Path:
    return Path(getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private"))


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, never served directly: only through a permission-checked view."""

    def __init__(self):
        super().__init__(location=str(private_root()), base_url=None)


def private_storage():
    return PrivateStorage()


def attachment_path(instance, filename: str) -> str:
    today = timezone.now()
    return f"lifecycle/{today:%Y/%m}/{filename}"
