"""The implementation model of a strategy, one module per sub-domain:

- `framework`: the process as data (phases with exit criteria, meeting formats, selection criteria, settings);
- `course`: each measure's way through it (its phase, the transitions, the spreadsheet's external id);
- `team`: team members, invitations, the mandate and the digest's pending notifications;
- `records`: what the team records (logbook and attachments, description versions, milestones, lessons);
- `selection`: the selection of new measures (candidates, assessments);
- `storage`: the private file storage of attachments and uploads.

Every name is re-exported here: `from kompass.lifecycle.models import X` is the way to import them."""

from kompass.lifecycle.models.course import MeasureExternalId, MeasureLifecycle, PhaseTransition
from kompass.lifecycle.models.framework import MeetingFormat, Phase, ProcessSettings, SelectionCriterion
from kompass.lifecycle.models.records import (
    DESCRIPTION_SECTIONS,
    SECTION_KEYS,
    Attachment,
    DescriptionVersion,
    LessonLearned,
    LogbookEntry,
    Milestone,
)
from kompass.lifecycle.models.selection import Assessment, Candidate
from kompass.lifecycle.models.storage import PrivateStorage, attachment_path, private_root, private_storage
from kompass.lifecycle.models.team import Mandate, Notification, TeamInvitation, TeamMember

__all__ = [
    "DESCRIPTION_SECTIONS", "SECTION_KEYS", "Assessment", "Attachment", "Candidate", "DescriptionVersion",
    "LessonLearned", "LogbookEntry", "Mandate", "MeasureExternalId", "MeasureLifecycle", "MeetingFormat",
    "Milestone", "Notification", "Phase", "PhaseTransition", "PrivateStorage", "ProcessSettings",
    "SelectionCriterion", "TeamInvitation", "TeamMember", "attachment_path", "private_root", "private_storage",
]
