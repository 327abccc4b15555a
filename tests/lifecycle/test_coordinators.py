"""The coordinators' workspace (issue 13): sections as pages, editing and deleting mandates and milestones (role
matrix, exact 403, audited), invitations by email, implausible values refused, the error summary on top."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.lifecycle import services
from kompass.lifecycle.models import Mandate, Milestone, TeamInvitation, TeamMember
from tests.lifecycle.test_roles import ROLES, _Rollback

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ready, people):
    milestone = services.milestone_create(actor=people["member"], measure=ready, title="Werkstatt",
                                          due_on=datetime.date(2026, 3, 1))
    return {"measure": ready, "milestone": milestone, "mandate": Mandate.objects.get(measure=ready)}


def _ms(p):
    return Milestone.objects.get(pk=p["milestone"].pk)


ACTIONS = {
    # name: (allowed roles, url name, pk key, data, "what changed" probe)
    "edit milestone": ({"member", "lead", "coordinator", "office", "admin"}, "milestone_edit", "milestone",
                       {"title": "Werkstatt 2", "due_on": "2026-04-01", "owner": ""},
                       lambda p: _ms(p).title == "Werkstatt 2"),
    "delete milestone": ({"member", "lead", "coordinator", "office", "admin"}, "milestone_delete", "milestone", {},
                         lambda p: not Milestone.objects.filter(pk=p["milestone"].pk).exists()),
    "edit mandate": ({"coordinator", "cdo", "office", "admin"}, "mandate_edit", "mandate",
                     {"given_by": "cdo", "given_on": "2025-03-02", "budget_eur": "1000"},
                     lambda p: Mandate.objects.get(pk=p["mandate"].pk).budget_eur == 1000),
    "delete mandate": ({"coordinator", "cdo", "office", "admin"}, "mandate_delete", "mandate", {},
                       lambda p: not Mandate.objects.filter(pk=p["mandate"].pk).exists()),
    "invite member": ({"lead", "coordinator", "office", "admin"}, "invite", None,
                      {"email": "neu@example.org", "role": "member"},
                      lambda p: TeamInvitation.objects.filter(email="neu@example.org").exists()),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(client, plan, people, action):
    allowed, name, key, data, changed = ACTIONS[action]
    outcomes = {}
    for role in ROLES:
        try:
            with transaction.atomic():
                client.logout()
                args = [plan["measure"].slug] + ([plan[key].pk] if key else [])
                events = AuditEvent.objects.count()
                if role != "visitor":
                    client.force_login(people[role])
                response = client.post(reverse(f"lifecycle:{name}", args=args), data)
                outcomes[role] = (response.status_code, changed(plan), AuditEvent.objects.count() - events,
                                  response.content.decode(errors="replace"))
                raise _Rollback
        except _Rollback:
            pass
    for role, (status, did_change, events, page) in outcomes.items():
        if role in allowed:
            assert (status, did_change) == (302, True) and events > 0, (role, status)
        elif role == "visitor":
            # ADR 0037: a visitor's denied write is 403 with a link to the login, nothing changed.
            assert status == 403 and 'href="/accounts/login/?next=' in page and not did_change and events == 0
        else:
            assert status == 403, (role, status)
            assert not did_change and events == 0, role


@pytest.mark.parametrize("name,key", [("milestone_edit", "milestone"), ("mandate_edit", "mandate")])
def test_edit_pages_show_the_current_values_and_deny_others(client, plan, people, name, key):
    url = reverse(f"lifecycle:{name}", args=[plan["measure"].slug, plan[key].pk])
    client.force_login(people["citizen"])
    assert client.get(url).status_code == 403
    client.force_login(people["coordinator"])
    html = client.get(url).content.decode()
    assert ('value="Werkstatt"' in html) if key == "milestone" else ('value="2025-03-01"' in html)


def test_a_milestone_of_another_measure_is_404(client, plan, people, berlin):
    other = berlin.measures.exclude(pk=plan["measure"].pk).order_by("slug").first()
    client.force_login(people["office"])
    url = reverse("lifecycle:milestone_delete", args=[other.slug, plan["milestone"].pk])
    assert client.post(url).status_code == 404
    assert Milestone.objects.filter(pk=plan["milestone"].pk).exists()


def test_milestone_update_is_audited_with_old_and_new_and_resets_the_reminder(plan, people):
    milestone = plan["milestone"]
    Milestone.objects.filter(pk=milestone.pk).update(overdue_notified_on=datetime.date(2026, 3, 2))
    milestone.refresh_from_db()
    services.milestone_update(actor=people["lead"], milestone=milestone, title="Werkstatt",
                              due_on=datetime.date(2026, 5, 1), owner=people["member"])
    milestone.refresh_from_db()
    assert milestone.overdue_notified_on is None and milestone.owner == people["member"]
    event = AuditEvent.objects.filter(action="milestone.changed").get()
    assert event.changes[f"milestone:{milestone.pk}:due_on"] == ["2026-03-01", "2026-05-01"]
    # nothing changed: no event
    services.milestone_update(actor=people["lead"], milestone=milestone, title="Werkstatt",
                              due_on=datetime.date(2026, 5, 1), owner=people["member"])
    assert AuditEvent.objects.filter(action="milestone.changed").count() == 1


@pytest.mark.parametrize("payload,field", [
    ({"title": "X", "due_on": "9999-12-31"}, "due_on"),
    ({"title": "X", "due_on": "1066-10-14"}, "due_on"),
    ({"title": "X", "due_on": "2026-01-01", "done_on": "9999-01-01"}, "done_on"),
])
def test_implausible_milestone_dates_are_refused_with_a_message(client, plan, people, payload, field):
    client.force_login(people["member"])
    url = reverse("lifecycle:milestone_edit", args=[plan["measure"].slug, plan["milestone"].pk])
    response = client.post(url, payload)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _ms(plan).title == "Werkstatt"
    html = response.content.decode()
    assert 'id="error-summary"' in html and "autofocus" in html.split('id="error-summary"')[1][:80]


def test_implausible_dates_are_refused_by_the_services(plan, people):
    with pytest.raises(ValidationError) as exc:
        services.milestone_create(actor=people["member"], measure=plan["measure"], title="Nie",
                                  due_on=datetime.date(9999, 1, 1))
    assert "due_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.mandate_update(actor=people["coordinator"], mandate=plan["mandate"],
                                given_on=datetime.date(9999, 1, 1))
    assert "given_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.mandate_update(actor=people["coordinator"], mandate=Mandate.objects.get(pk=plan["mandate"].pk),
                                budget_eur=-5)
    assert "budget_eur" in exc.value.error_dict
    assert Mandate.objects.get(pk=plan["mandate"].pk).budget_eur is None


def test_a_failed_workspace_form_shows_its_section_with_the_summary_on_top(client, plan, people):
    client.force_login(people["coordinator"])
    response = client.post(reverse("lifecycle:milestone_add", args=[plan["measure"].slug]),
                           {"title": "Ende", "due_on": "9999-12-31"})
    assert response.status_code == 400
    html = response.content.decode()
    assert response.context["section"] == "plan"
    # the summary comes right after the heading, before the section tabs, is focused, and links to the field
    assert html.index('id="error-summary"') < html.index('class="section-tabs"')
    assert html.count('id="error-summary"') == 1
    assert 'href="#ms_due_on"' in html
    assert "9999" in html and not Milestone.objects.filter(title="Ende").exists()
    # the form's action ends in the summary's anchor, so the browser scrolls there without JavaScript
    assert 'milestones/#error-summary"' in html


@pytest.mark.parametrize("section,marker", [("workspace", "phase-title"), ("team", "team-title"),
                                            ("plan", "milestones-title"), ("logbook", "logbook-title"),
                                            ("lessons_section", "lessons-title")])
def test_each_section_is_its_own_page(client, plan, people, section, marker):
    client.force_login(people["member"])
    response = client.get(reverse(f"lifecycle:{section}", args=[plan["measure"].slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="{marker}"' in html
    others = {"phase-title", "team-title", "milestones-title", "logbook-title", "lessons-title"} - {marker}
    assert not any(f'id="{m}"' in html for m in others)
    assert html.count('aria-current="page"') == 2  # the breadcrumb and the current tab


def test_section_pages_deny_outsiders(client, plan, people):
    client.force_login(people["citizen"])
    assert client.get(reverse("lifecycle:plan", args=[plan["measure"].slug])).status_code == 403


def _token_from_mail() -> str:
    return re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_an_invitation_is_mailed_and_accepting_adds_the_member(client, plan, people, make_user, settings):
    settings.KOMPASS_SITE_URL = "https://kompass.example"
    client.force_login(people["lead"])
    response = client.post(reverse("lifecycle:invite", args=[plan["measure"].slug]),
                           {"email": "Neu@Example.org", "role": "member"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["neu@example.org"]
    assert "https://kompass.example/invitations/" in mail.outbox[-1].body
    token = _token_from_mail()
    newcomer = make_user("neu@example.org")
    client.force_login(newcomer)
    page = client.get(reverse("lifecycle:invitation", args=[token]))
    assert page.status_code == 200 and page.context["email_matches"]
    response = client.post(reverse("lifecycle:invitation", args=[token]))
    assert response.status_code == 302
    assert TeamMember.objects.get(measure=plan["measure"], user=newcomer).role == "member"
    assert AuditEvent.objects.filter(action="team_invitation.accepted", actor=newcomer).count() == 1
    # once only
    again = client.post(reverse("lifecycle:invitation", args=[token]))
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action="team_invitation.accepted").count() == 1


def test_without_a_site_url_the_invitation_link_is_relative_never_a_guessed_host(plan, people, settings):
    settings.KOMPASS_SITE_URL = ""
    services.invitation_send(actor=people["lead"], measure=plan["measure"], email="neu@example.org", role="member")
    assert any(line.startswith("/invitations/") for line in mail.outbox[-1].body.splitlines())
    assert "127.0.0.1" not in mail.outbox[-1].body


def test_a_visitor_opening_an_invitation_is_asked_to_sign_in(client, plan, people):
    services.invitation_send(actor=people["lead"], measure=plan["measure"], email="neu@example.org", role="member")
    token = _token_from_mail()
    page = client.get(reverse("lifecycle:invitation", args=[token]))
    assert page.status_code == 200
    assert 'href="/accounts/login/?next=/invitations/' in page.content.decode()
    response = client.post(reverse("lifecycle:invitation", args=[token]))
    # ADR 0037: a visitor's write is refused with 403 and a link to the login.
    assert response.status_code == 403 and 'href="/accounts/login/?next=' in response.content.decode()
    assert TeamInvitation.objects.get().accepted_at is None


def test_an_invitation_is_for_its_address_only(client, plan, people):
    services.invitation_send(actor=people["lead"], measure=plan["measure"], email="neu@example.org", role="lead")
    token = _token_from_mail()
    client.force_login(people["citizen"])
    response = client.post(reverse("lifecycle:invitation", args=[token]))
    assert response.status_code == 400
    assert not TeamMember.objects.filter(measure=plan["measure"], user=people["citizen"]).exists()
    assert TeamInvitation.objects.get().accepted_at is None


def test_an_expired_or_forged_invitation_is_refused(client, plan, people, make_user, settings):
    invitation = services.invitation_send(actor=people["lead"], measure=plan["measure"], email="neu@example.org",
                                          role="member")
    newcomer = make_user("neu@example.org")
    client.force_login(newcomer)
    forged = signing.dumps({"i": invitation.pk, "e": "neu@example.org"}, salt="another salt")
    assert client.post(reverse("lifecycle:invitation", args=[forged])).status_code == 400
    settings.KOMPASS_INVITATION_DAYS = 0
    token = services.invitation_token(invitation)
    import time

    time.sleep(1.1)
    response = client.post(reverse("lifecycle:invitation", args=[token]))
    assert response.status_code == 400
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError, match="abgelaufen"):
        services.invitation_from_token(token)
    assert not TeamMember.objects.filter(measure=plan["measure"], user=newcomer).exists()


def test_inviting_a_member_twice_is_refused_with_a_form_message(client, plan, people):
    client.force_login(people["lead"])
    response = client.post(reverse("lifecycle:invite", args=[plan["measure"].slug]),
                           {"email": "member@example.org", "role": "member"})
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    assert not mail.outbox


def test_edit_pages_answer_in_german_and_name_the_stored_item(client, plan, people):
    """The edit and delete views of both kinds (one `_Editable` row each): German messages, back to the plan
    section; a refused save shows the form with 400 under the heading of the item as stored."""
    measure, mandate = plan["measure"], plan["mandate"]
    client.force_login(people["coordinator"])
    url = reverse("lifecycle:mandate_edit", args=[measure.slug, mandate.pk])
    refused = client.post(url, {"given_by": "cdo", "given_on": "1800-01-01", "budget_eur": "-5"})
    assert refused.status_code == 400 and "given_on" in refused.context["form"].errors
    assert refused.context["title"] == "Auftrag vom 01.03.2025 bearbeiten"
    assert Mandate.objects.get(pk=mandate.pk).given_on == datetime.date(2025, 3, 1)
    saved = client.post(reverse("lifecycle:milestone_edit", args=[measure.slug, plan["milestone"].pk]),
                        {"title": "Werkstatt 2", "due_on": "2026-04-01", "owner": ""}, follow=True)
    assert saved.redirect_chain[-1][0].endswith("/process/milestones/#main")
    assert "Der Meilenstein wurde gespeichert." in saved.content.decode()
    deleted = client.post(reverse("lifecycle:mandate_delete", args=[measure.slug, mandate.pk]), follow=True)
    assert "Der Auftrag wurde gelöscht." in deleted.content.decode()
    assert not Mandate.objects.filter(pk=mandate.pk).exists()


def test_an_unchanged_save_records_nothing(plan, people):
    """`change_recorded`: only the fields that differ are written and audited; nothing differs, no event."""
    milestone, mandate = plan["milestone"], plan["mandate"]
    member = TeamMember.objects.filter(measure=plan["measure"]).select_related("user").first()
    before = AuditEvent.objects.count()
    services.milestone_update(actor=people["lead"], milestone=milestone, title=milestone.title,
                              due_on=milestone.due_on)
    services.mandate_update(actor=people["coordinator"], mandate=mandate, given_by=mandate.given_by)
    services.team_member_set(actor=people["lead"], measure=plan["measure"], user=member.user, role=member.role,
                             organisation=member.organisation)
    assert AuditEvent.objects.count() == before
    services.mandate_update(actor=people["coordinator"], mandate=mandate, notes="neu")
    event = AuditEvent.objects.latest("id")
    assert event.action == "mandate.changed" and list(event.changes) == [f"mandate:{mandate.pk}:notes"]
