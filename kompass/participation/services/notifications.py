"""Notifications for followers, the daily/weekly digest email and its signed, expiring unsubscribe link."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompass.audit.services import record_event
from kompass.core.actors import is_system
from kompass.core.permissions import require
from kompass.participation.models import Consultation, Follow, Idea, Notification

UNSUBSCRIBE_SALT = "kompass.participation.unsubscribe"  # the purpose: a digest link cannot unlock anything else


def unsubscribe_max_age() -> int:
    """Seconds an unsubscribe link stays valid (default 90 days: longer than any digest period)."""
    return int(getattr(settings, "KOMPASS_UNSUBSCRIBE_MAX_AGE", 90 * 24 * 3600))


def notify_followers(actor, *, text: str, idea: Idea | None = None, consultation: Consultation | None = None,
                     exclude: tuple = ()):
    """Queue a notification for everyone who follows the idea or consultation, except the actor (and the people
    in `exclude`, who are told in their own words)."""
    if idea is not None:
        follows, url = Follow.objects.filter(idea=idea), reverse("participation:idea", args=[idea.pk])
    else:
        follows = Follow.objects.filter(consultation=consultation)
        url = reverse("participation:consultation", args=[consultation.slug])
    if actor is not None and not is_system(actor):
        follows = follows.exclude(user=actor)
    if exclude:
        follows = follows.exclude(user_id__in=[pk for pk in exclude if pk is not None])
    user_ids = list(follows.values_list("user_id", flat=True)[:5000])
    Notification.objects.bulk_create([Notification(user_id=uid, text=text[:300], url=url) for uid in user_ids])


def notify_reply(actor, *, parent, reply, title: str) -> None:
    """Tell the author of a comment that someone answered it ("Antwort"), with a link to the answer."""
    author_id = parent.author_id
    if author_id is None or author_id == getattr(actor, "pk", None):
        return
    if reply.idea_id:
        url = reverse("participation:idea", args=[reply.idea_id])
    else:
        url = reverse("participation:consultation", args=[reply.paragraph.chapter.consultation.slug])
    text = _("%(name)s replied to your comment on “%(title)s”.") % {"name": actor.public_name, "title": title}
    Notification.objects.create(user_id=author_id, text=text[:300], url=f"{url}#comment-{reply.pk}")


@transaction.atomic
def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    if actor is None or not actor.is_authenticated or is_system(actor):
        raise PermissionDenied
    qs = Notification.objects.filter(user=actor, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def unsubscribe_token(user) -> str:
    """A link token for one person, signed for this purpose only (salt) and timestamped (expires)."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


@transaction.atomic
def unsubscribe(*, token: str):
    """Turn off digest emails for the person named in a signed link (no login needed). Returns the user, or
    None for a forged, foreign-purpose or expired token."""
    from kompass.accounts.models import User

    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=unsubscribe_max_age())
    except signing.BadSignature:  # includes SignatureExpired
        return None
    user = User.objects.filter(pk=pk).first()
    if user is not None and user.email_digest != User.Digest.NONE:
        old = user.email_digest
        user.email_digest = User.Digest.NONE
        user.save(update_fields=["email_digest"])
        record_event(actor=user, action="account.unsubscribed", obj=user, changes={"email_digest": (old, "none")})
    return user


def digest_send(*, actor, period: str, base_url: str = "") -> int:
    """Email each person with this digest period their notifications not yet emailed. Returns emails sent.
    Links start with `base_url`, by default the site's public address (KOMPASS_SITE_URL)."""
    from django.core.mail import send_mail

    from kompass.accounts.models import User
    from kompass.core.urls import site_url

    require(actor, "participation.send_digest")
    base_url = (base_url or site_url()).rstrip("/")
    sent = 0
    users = User.objects.filter(is_active=True, email_digest=period,
                                notifications__emailed_at=None).distinct().order_by("pk")
    for user in users.iterator(chunk_size=200):
        with transaction.atomic():
            items = list(Notification.objects.select_for_update().filter(user=user, emailed_at=None)
                         .order_by("created_at")[:100])
            if not items:
                continue
            link = base_url + reverse("participation:unsubscribe", args=[unsubscribe_token(user)])
            body = "\n".join(f"- {n.text} {base_url}{n.url}" for n in items)
            body += "\n\n" + _("Unsubscribe from these emails: %(link)s") % {"link": link}
            send_mail(_("News from the participation platform"), body, None, [user.email])
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
            record_event(actor=actor, action="notification.digest_sent", obj=user,
                         changes={"count": (None, len(items))})
            sent += 1
    return sent
