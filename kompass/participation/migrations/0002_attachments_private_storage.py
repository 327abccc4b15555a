"""Idea attachments move out of MEDIA_ROOT (a path a web server may serve to anyone who guesses it) into the
private root; they are served only through the permission-checked attachment view.

Expand phase (rewritten 2026-12-02 for zero-downtime upgrades): files are copied, not moved, so servers of the
previous release, which read attachments from MEDIA_ROOT, keep finding them while this release rolls out. The
public copies are deleted by the next release's contract migration, once no server of the previous release runs
(docs/operations.md, "Contract steps for the next release"). The column change widens varchar(100) to
varchar(300), a metadata-only change in PostgreSQL that the previous release's shorter names still satisfy."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import kompass.participation.uploads


def _copy(apps, to_private: bool):
    Attachment = apps.get_model("participation", "Attachment")
    public = Path(settings.MEDIA_ROOT)
    private = Path(kompass.participation.uploads.private_attachments().location)
    old_root, new_root = (public, private) if to_private else (private, public)
    for name in Attachment.objects.exclude(file="").values_list("file", flat=True):
        source, target = old_root / name, new_root / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(str(source), str(target))


def move_files(apps, schema_editor):
    _copy(apps, to_private=True)


def move_back(apps, schema_editor):
    _copy(apps, to_private=False)


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='attachment',
            name='file',
            field=models.FileField(max_length=300, storage=kompass.participation.uploads.private_attachments, upload_to='participation/attachments/%Y/%m/'),
        ),
        migrations.RunPython(move_files, move_back),
    ]
