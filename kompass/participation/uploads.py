"""Checks of idea attachments, and the private storage they are kept in (served only through a view that
checks whether the idea may be seen)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

ATTACHMENT_TYPES = {  # content type: (extensions, magic bytes prefix or None)
    "application/pdf": ((".pdf",), b"%PDF"),
    "image/png": ((".png",), b"\x89PNG"),
    "image/jpeg": ((".jpg", ".jpeg"), b"\xff\xd8\xff"),
    "text/plain": ((".txt",), None),
}


class PrivateAttachmentStorage(FileSystemStorage):
    """Files under the private root (`KOMPASS_PRIVATE_ROOT`, default var/private), never under MEDIA_ROOT: no web
    server serves them by path. The location is read from the settings on every use."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        root = getattr(settings, "KOMPASS_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private")
        return str(Path(root) / "participation")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("idea attachments have no public URL; link to participation:attachment instead")


def private_attachments() -> PrivateAttachmentStorage:
    return PrivateAttachmentStorage()


def validate_attachment(upload) -> str:
    """Return the checked content type of an uploaded file or raise ValidationError."""
    max_bytes = getattr(settings, "KOMPASS_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
    if upload.size > max_bytes:
        raise ValidationError(_("The file %(name)s is larger than %(mb)s MB.")
                              % {"name": upload.name, "mb": max_bytes // (1024 * 1024)})
    name = upload.name.lower()
    head = upload.read(8)
    upload.seek(0)
    for content_type, (extensions, magic) in ATTACHMENT_TYPES.items():
        if name.endswith(extensions) and (magic is None or head.startswith(magic)):
            if magic is None and b"\x00" in head:
                break
            return content_type
    raise ValidationError(_("The file %(name)s is not a PDF, PNG, JPEG or plain-text file.") % {"name": upload.name})
