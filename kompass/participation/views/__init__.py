"""Pages of participation, by sub-domain (ideas, moderation, consultations, notifications). Thin: services for
writes, selectors for reads. `urls.py` refers to the names re-exported here."""

from kompass.participation.views.consultations import (
    consultation_comment,
    consultation_create,
    consultation_detail,
    consultation_export,
    consultation_follow,
    consultation_list,
    consultation_statement,
    consultation_vote,
    opinion_map,
    opinion_map_compute,
)
from kompass.participation.views.ideas import (
    attachment,
    comment_delete,
    comment_edit,
    guidelines,
    idea_comment,
    idea_create,
    idea_detail,
    idea_follow,
    idea_list,
    idea_map,
    idea_ownership,
    idea_status,
    idea_support,
    report,
)
from kompass.participation.views.moderation import (
    moderation_block,
    moderation_dismiss,
    moderation_hide,
    moderation_queue,
    moderation_statement,
    moderation_user,
    moderation_users,
)
from kompass.participation.views.notifications import notifications, unsubscribe

__all__ = [
    "attachment", "comment_delete", "comment_edit", "consultation_comment", "consultation_create",
    "consultation_detail", "consultation_export", "consultation_follow", "consultation_list",
    "consultation_statement", "consultation_vote", "guidelines", "idea_comment", "idea_create", "idea_detail",
    "idea_follow", "idea_list", "idea_map", "idea_ownership", "idea_status", "idea_support", "moderation_block",
    "moderation_dismiss", "moderation_hide", "moderation_queue", "moderation_statement", "moderation_user",
    "moderation_users", "notifications",
    "opinion_map", "opinion_map_compute", "report", "unsubscribe",
]
