"""Candidates handed over from ideas no longer quote their author's name.

Before, the candidate's description ended with "Submitted by <name>, supported by <n> people." (or its German
text), which outlived the author's account. Now the candidate references the author (`submitted_by`, cleared with
the account) and the name is rendered at display time. This step links existing candidates to their idea's author
and replaces the sentence by "Supported by <n> people." in the language it was written in."""

import re

from django.db import migrations

QUOTES = [
    (re.compile(r"\n\nSubmitted by .*, supported by (\d+) people\.\s*$"), "\n\nSupported by {n} people."),
    (re.compile(r"\n\nEingereicht von .*, unterstützt von (\d+) Personen\.\s*$"), "\n\nUnterstützt von {n} Personen."),
]


def unquote_authors(apps, schema_editor):
    Candidate = apps.get_model("lifecycle", "Candidate")
    Idea = apps.get_model("participation", "Idea")
    for candidate in Candidate.objects.filter(source_kind="participation.idea", source_id__isnull=False):
        idea = Idea.objects.filter(pk=candidate.source_id).first()
        candidate.submitted_by_id = idea.author_id if idea is not None else None
        for pattern, replacement in QUOTES:
            match = pattern.search(candidate.description)
            if match:
                candidate.description = (candidate.description[:match.start()]
                                         + replacement.format(n=match.group(1)))
                break
        candidate.save(update_fields=["submitted_by", "description"])


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0002_attachments_private_storage'),
        ('lifecycle', '0002_candidate_typed_source'),
    ]

    operations = [
        migrations.RunPython(unquote_authors, migrations.RunPython.noop),
    ]
