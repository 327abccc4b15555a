"""Comments on ideas and on paragraphs of a draft: two levels deep, editable for a short while."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.permissions import require
from kompass.participation.idempotency import fingerprint
from kompass.participation.models import Comment, Idea, Paragraph
from kompass.participation.selectors import edit_window
from kompass.participation.services import idempotency
from kompass.participation.services.notifications import notify_followers, notify_reply
from kompass.participation.services.ratelimit import check_rate

MAX_COMMENT_LENGTH = 5000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    return text


@transaction.atomic
def comment_create(*, actor, text: str, idea: Idea | None = None, paragraph: Paragraph | None = None,
                   parent: Comment | None = None, ip: str | None = None,
                   idempotency_key: str | None = None) -> Comment:
    """Publish a comment or a reply. With `idempotency_key` (ADR 0045) the same key from the same account returns
    the comment it created the first time (marked `idempotent_replay = True`) instead of a second one."""
    require(actor, "participation.add_comment")
    text = _clean_text(text)
    if len(text) > MAX_COMMENT_LENGTH:
        raise ValidationError(_("A comment may have at most 5,000 characters."))
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # replies go two levels deep: a reply to a reply joins the thread
        idea, paragraph = parent.idea, parent.paragraph
    if (idea is None) == (paragraph is None):
        raise ValidationError(_("Comment on an idea or a paragraph."))
    if idea is not None and idea.is_hidden:
        raise PermissionDenied
    if paragraph is not None and not paragraph.chapter.consultation.is_open:
        raise ValidationError(_("The consultation is closed."))
    request = fingerprint("comment.create", idea.pk if idea else None, paragraph.pk if paragraph else None,
                          parent.pk if parent else None, text)
    earlier = idempotency.begin(
        actor=actor, key=idempotency_key, action="comment.create", fingerprint=request,
        conflict=_("This form was already sent with a different text, and that comment is published. To add "
                   "another one, write it again in the form."))
    if earlier is not None:
        return idempotency.replayed(Comment, earlier)
    check_rate(actor, "comment", ip)
    comment = Comment.objects.create(idea=idea, paragraph=paragraph, parent=parent, author=actor, text=text)
    if idea is not None:
        # The count covers replies too: it is the number of contributions in the discussion.
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        title = idea.title[:120]
        text = (_("New reply in the discussion of “%(title)s”.") if parent is not None
                else _("New comment on “%(title)s”.")) % {"title": title}
        notify_followers(actor, idea=idea, text=text, exclude=(parent.author_id,) if parent else ())
    else:
        consultation = paragraph.chapter.consultation
        title = consultation.title[:120]
        text = (_("New reply in the discussion of “%(title)s”.") if parent is not None
                else _("New comment in “%(title)s”.")) % {"title": title}
        notify_followers(actor, consultation=consultation, text=text,
                         exclude=(parent.author_id,) if parent else ())
    if parent is not None:
        notify_reply(actor, parent=parent, reply=comment, title=title)
    record_event(actor=actor, action="comment.created", obj=comment)
    idempotency.finish(actor=actor, key=idempotency_key, obj=comment)
    return comment


@transaction.atomic
def comment_edit(*, actor, comment: Comment, text: str) -> Comment:
    require(actor, "participation.change_comment", comment)
    if comment.is_deleted or comment.is_hidden or timezone.now() - comment.created_at > edit_window():
        raise PermissionDenied
    text = _clean_text(text)
    old = comment.text
    comment.text, comment.edited_at = text, timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    record_event(actor=actor, action="comment.edited", obj=comment, changes={"text": (old, text)})
    return comment


@transaction.atomic
def comment_delete(*, actor, comment: Comment) -> Comment:
    """Delete the text; a placeholder ("comment deleted") keeps replies in place."""
    require(actor, "participation.delete_comment", comment)
    if comment.is_deleted:
        return comment
    comment.is_deleted, comment.text = True, ""
    comment.save(update_fields=["is_deleted", "text"])
    record_event(actor=actor, action="comment.deleted", obj=comment, changes={"is_deleted": (False, True)})
    return comment
