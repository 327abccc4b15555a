"""Every participation write is all or nothing: when its last step fails (here: the audit record), nothing of
what it wrote before stays. Pins the `@transaction.atomic` of each service (docs/mutation/flow.md)."""

import datetime

import pytest
from django.apps import apps

from kompass.participation import services
from kompass.participation.models import Comment, Idea, IdempotencyKey, Statement

pytestmark = pytest.mark.django_db


def _rows() -> dict:
    return {model._meta.label: list(model.objects.order_by("pk").values())
            for app in ("participation", "lifecycle", "accounts", "audit")
            for model in apps.get_app_config(app).get_models()}


def _statement(open_consultation):
    return open_consultation("meinungen", statements=["Mehr Bänke"]).statements.get()


def _cases(f):
    """name -> (module whose record_event fails, the write); `f` holds the fixtures."""
    from kompass.participation.services import (
        comments,
        consultations,
        ideas,
        idempotency,
        moderation,
        notifications,
        supports,
    )

    c, moderator, office, idea = f["citizen"], f["moderator"], f["office"], f["idea"]
    other, comment = f["other"], f["comment"]
    return {
        "comment_create": (comments, lambda: services.comment_create(actor=other, idea=idea, text="Gut")),
        "comment_edit": (comments, lambda: services.comment_edit(actor=c, comment=comment, text="neu")),
        "comment_delete": (comments, lambda: services.comment_delete(actor=c, comment=comment)),
        "consultation_create": (consultations, lambda: f["open_consultation"](
            "entwurf", chapters=[{"title": "Ziele", "paragraphs": ["Eins."]}])),
        "statement_add": (consultations, lambda: services.statement_add(
            actor=c, consultation=f["statement"].consultation, text="Weniger Autos")),
        "vote_cast": (consultations, lambda: services.vote_cast(actor=c, statement=f["statement"], value=1)),
        "opinion_map_store": (consultations, lambda: services.opinion_map_store(
            actor=office, consultation=f["statement"].consultation, data={"k": 2})),
        "idea_create": (ideas, lambda: services.idea_create(actor=other, strategy=idea.strategy, title="T",
                                                            text="Text")),
        "idea_set_status": (ideas, lambda: services.idea_set_status(actor=office, idea=idea, status="admitted")),
        "idempotency_keys_purge": (idempotency, lambda: services.idempotency_keys_purge(
            actor=f["admin"], older_than=datetime.timedelta(0))),
        "report_create": (moderation, lambda: services.report_create(actor=other, target=idea, reason="Werbung")),
        "moderation_hide": (moderation, lambda: services.moderation_hide(actor=moderator, target=idea,
                                                                         reason="Werbung")),
        "report_dismiss": (moderation, lambda: services.report_dismiss(actor=moderator, report=f["report"])),
        "user_block": (moderation, lambda: services.user_block(actor=moderator, user=c, reason="Spam")),
        "statement_moderate": (moderation, lambda: services.statement_moderate(
            actor=moderator, statement=f["statement"], status="rejected")),
        "unsubscribe": (notifications, lambda: services.unsubscribe(token=services.unsubscribe_token(c))),
        "support_add": (supports, lambda: services.support_add(actor=other, idea=idea)),
        "support_withdraw": (supports, lambda: services.support_withdraw(actor=other, idea=idea)),
        "follow_set": (supports, lambda: services.follow_set(actor=other, idea=idea)),
    }


CASES = ["comment_create", "comment_edit", "comment_delete", "consultation_create", "statement_add", "vote_cast",
         "opinion_map_store", "idea_create", "idea_set_status", "idempotency_keys_purge", "report_create",
         "moderation_hide", "report_dismiss", "user_block", "statement_moderate", "unsubscribe", "support_add",
         "support_withdraw", "follow_set"]


@pytest.mark.parametrize("name", CASES)
def test_a_write_whose_audit_record_fails_leaves_nothing_behind(name, citizen, moderator, office, idea, make_user,
                                                                 open_consultation, monkeypatch):
    other = make_user("other@example.org")
    fixtures = {"citizen": citizen, "moderator": moderator, "office": office, "idea": idea, "other": other,
                "admin": make_user("admin@example.org", admin=True), "open_consultation": open_consultation,
                "statement": _statement(open_consultation),
                "comment": Comment.objects.create(idea=idea, author=citizen, text="alt"),
                "report": services.report_create(actor=other, target=idea, reason="Werbung")}
    module, write = _cases(fixtures)[name]
    citizen.email_digest = "daily"
    citizen.save()
    IdempotencyKey.objects.create(user=citizen, key="alt" * 8, action="a", fingerprint="f")
    if name == "support_withdraw":
        services.support_add(actor=other, idea=idea)
    before = _rows()

    def audit_fails(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(module, "record_event", audit_fails)
    with pytest.raises(RuntimeError):
        write()
    monkeypatch.undo()
    after = _rows()
    assert {k: v for k, v in after.items() if v != before[k]} == {}
    assert Idea.objects.filter(pk=idea.pk).exists() and Statement.objects.exists()
