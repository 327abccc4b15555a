"""Checks of logbook attachments before they are stored (no database access)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass.core.text import german_slug

# Attachments: extension -> allowed content types and the bytes the file must start with (None: plain text).
ATTACHMENT_TYPES: dict[str, tuple[set[str], bytes | None]] = {
    ".pdf": ({"application/pdf"}, b"%PDF-"),
    ".png": ({"image/png"}, b"\x89PNG\r\n\x1a\n"),
    ".jpg": ({"image/jpeg"}, b"\xff\xd8\xff"),
    ".jpeg": ({"image/jpeg"}, b"\xff\xd8\xff"),
    ".odt": ({"application/vnd.oasis.opendocument.text"}, b"PK\x03\x04"),
    ".docx": ({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}, b"PK\x03\x04"),
    ".xlsx": ({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, b"PK\x03\x04"),
    ".csv": ({"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel"}, None),
}
ZIP_FALLBACK_TYPES = {"application/zip", "application/octet-stream"}


def attachment_max_bytes() -> int:
    return int(getattr(settings, "KOMPASS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def validate_attachment(upload) -> tuple[str, str]:
    """Check name, declared content type, size and leading bytes of an upload; returns (safe name, content type)."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    stem, ext = os.path.splitext(name)
    ext = ext.lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError(_("“%(name)s”: this file type is not allowed (allowed: %(types)s).") % {
            "name": name[:80], "types": ", ".join(t.lstrip(".").upper() for t in ATTACHMENT_TYPES)})
    size = upload.size or 0
    if size > attachment_max_bytes():
        raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.") % {
            "name": name[:80], "mb": attachment_max_bytes() // (1024 * 1024)})
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name[:80]})
    types, magic = ATTACHMENT_TYPES[ext]
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    allowed = types | (ZIP_FALLBACK_TYPES if magic == b"PK\x03\x04" else set())
    if declared and declared not in allowed:
        raise ValidationError(_("“%(name)s”: the content type does not match the file name.") % {"name": name[:80]})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(_("“%(name)s”: the content does not match the file type.") % {"name": name[:80]})
    if magic is None and b"\x00" in head:
        raise ValidationError(_("“%(name)s”: the content does not match the file type.") % {"name": name[:80]})
    safe = german_slug(stem, 80, fallback="file") + ext
    return safe, sorted(types)[0] if magic is not None else "text/csv"
