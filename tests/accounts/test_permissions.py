"""Role matrix: who may do what. A denied write returns exactly 403 (for visitors with a login link, ADR 0037)
and changes nothing; an allowed write changes the record and leaves an audit event naming the actor."""

import pytest
from django.urls import reverse

from kompass.audit.models import AuditEvent
from kompass.measures.models import Measure
from tests.denied import assert_denied

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "citizen", "member", "coordinator_own", "coordinator_other", "strategy_office", "admin"]


@pytest.fixture
def actors(role_users):
    return role_users


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def edit_payload(measure, **overrides):
    data = {
        "title": measure.title, "title_en": measure.title_en, "title_ls": measure.title_ls,
        "measure_type": measure.measure_type, "status": measure.status, "summary": measure.summary,
        "summary_en": measure.summary_en, "summary_ls": measure.summary_ls, "description": measure.description,
        "description_en": measure.description_en, "description_ls": measure.description_ls,
        "responsible_organisation": measure.responsible_organisation_id,
        "involved_organisations": [o.pk for o in measure.involved_organisations.all()],
        "districts": [d.pk for d in measure.districts.all()],
        "action_fields": [a.pk for a in measure.action_fields.all()],
        "spatial_level": measure.spatial_level_id or "",
        "start_date": measure.start_date.isoformat() if measure.start_date else "",
        "end_date": measure.end_date.isoformat() if measure.end_date else "",
        "participation": measure.participation, "participation_en": measure.participation_en,
        "impact": measure.impact, "impact_en": measure.impact_en, "contact_role": measure.contact_role,
        "contact_email": measure.contact_email, "contact_url": measure.contact_url,
    }
    if measure.is_pilot:
        data["is_pilot"] = "on"
    if measure.is_example:
        data["is_example"] = "on"
    data.update(overrides)
    return data


EDIT_ALLOWED = {"coordinator_own", "strategy_office", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_edit_measure_matrix(client, actors, pilot, role):
    user = actors[role]
    login(client, user)
    url = reverse("measures:measure_edit", args=[pilot.slug])
    before_title = pilot.title
    events_before = AuditEvent.objects.count()
    response = client.post(url, edit_payload(pilot, title="Neuer Titel durch " + role))
    pilot.refresh_from_db()
    if role in EDIT_ALLOWED:
        assert response.status_code == 302
        assert pilot.title == "Neuer Titel durch " + role
        event = AuditEvent.objects.latest("id")
        assert event.actor == user and event.action == "measure.updated"
        assert event.changes["title"] == [before_title, pilot.title]
    else:
        assert_denied(response, anonymous=role == "visitor")
        assert pilot.title == before_title
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("role", ROLES)
def test_edit_form_get_matrix(client, actors, pilot, role):
    login(client, actors[role])
    response = client.get(reverse("measures:measure_edit", args=[pilot.slug]))
    expected = 200 if role in EDIT_ALLOWED else (302 if role == "visitor" else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_create_measure_matrix(client, actors, pilot, berlin, role):
    user = actors[role]
    login(client, user)
    own = pilot.responsible_organisation
    count, events = Measure.objects.count(), AuditEvent.objects.count()
    payload = edit_payload(pilot, title="Ganz neue Maßnahme", responsible_organisation=own.pk)
    response = client.post(reverse("measures:measure_create"), payload)
    if role in {"coordinator_own", "strategy_office", "admin"}:
        assert response.status_code == 302
        assert Measure.objects.count() == count + 1
        created = Measure.objects.get(title="Ganz neue Maßnahme")
        assert AuditEvent.objects.filter(action="measure.created", object_id=str(created.pk), actor=user).exists()
    else:
        # The other organisation's coordinator may create measures, but not for this organisation:
        # the form offers only their own organisation, so the choice is rejected.
        expected = {"coordinator_other": 400}.get(role, 403)
        assert response.status_code == expected
        assert Measure.objects.count() == count and AuditEvent.objects.count() == events


def test_coordinator_cannot_move_a_measure_to_a_foreign_organisation(client, actors, pilot, berlin):
    client.force_login(actors["coordinator_own"])
    foreign = berlin.organisations.exclude(pk=pilot.responsible_organisation_id).first()
    response = client.post(reverse("measures:measure_edit", args=[pilot.slug]),
                           edit_payload(pilot, responsible_organisation=foreign.pk))
    assert response.status_code == 400
    pilot.refresh_from_db()
    assert pilot.responsible_organisation_id != foreign.pk


def test_invalid_edit_shows_form_errors_and_changes_nothing(client, actors, pilot):
    client.force_login(actors["coordinator_own"])
    response = client.post(reverse("measures:measure_edit", args=[pilot.slug]),
                           edit_payload(pilot, title="", start_date="2026-01-01", end_date="2020-01-01"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"title", "end_date"}
    pilot.refresh_from_db()
    assert pilot.title


@pytest.mark.parametrize("role", ROLES)
def test_backoffice_access_matrix(client, actors, role):
    login(client, actors[role])
    response = client.get("/backoffice/measures/measure/")
    if role in {"strategy_office", "admin"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/backoffice/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_backoffice_change_matrix(client, actors, berlin, role):
    value = berlin.values.first()
    value_before = value.name
    login(client, actors[role])
    url = f"/backoffice/strategy/value/{value.pk}/change/"
    data = {"strategy": berlin.pk, "slug": value.slug, "position": value.position, "name": "Geänderter Name",
            "name_en": value.name_en, "description": value.description, "description_en": value.description_en,
            "summary": value.summary, "summary_en": value.summary_en}
    response = client.post(url, data)
    value.refresh_from_db()
    if role in {"strategy_office", "admin"}:
        assert response.status_code == 302, response.content[:2000]
        assert value.name == "Geänderter Name"
        event = AuditEvent.objects.latest("id")
        assert event.actor == actors[role] and event.changes["name"][1] == "Geänderter Name"
    else:
        # The back office admits only the office: everyone else's write is refused with 403 (ADR 0037).
        assert_denied(response, anonymous=role == "visitor")
        assert value.name == value_before
        assert not AuditEvent.objects.filter(action="value.updated").exists()


def test_backoffice_measure_change_goes_through_the_service(client, actors, pilot):
    client.force_login(actors["strategy_office"])
    url = f"/backoffice/measures/measure/{pilot.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"title": "Im Backoffice geändert", "strategy": pilot.strategy_id,
                 "responsible_organisation": pilot.responsible_organisation_id,
                 "involved_organisations": [o.pk for o in pilot.involved_organisations.all()],
                 "districts": [d.pk for d in pilot.districts.all()],
                 "action_fields": [a.pk for a in pilot.action_fields.all()],
                 "spatial_level": pilot.spatial_level_id or "",
                 "start_date": pilot.start_date or "", "end_date": pilot.end_date or ""})
    for prefix, rel in (("value_links", pilot.value_links.all()), ("perspective_links", pilot.perspective_links.all())):
        items = list(rel)
        data.update({f"{prefix}-TOTAL_FORMS": len(items), f"{prefix}-INITIAL_FORMS": len(items),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, link in enumerate(items):
            key = "value" if prefix == "value_links" else "perspective"
            data.update({f"{prefix}-{i}-id": link.pk, f"{prefix}-{i}-measure": pilot.pk,
                         f"{prefix}-{i}-{key}": getattr(link, f"{key}_id"), f"{prefix}-{i}-strength": link.strength})
    for key in ("is_pilot", "is_example"):
        data.pop(key, None)
        if getattr(pilot, key):
            data[key] = "on"
    first_value = pilot.value_links.first()
    data["value_links-0-strength"] = 1 if first_value.strength != 1 else 2
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    pilot.refresh_from_db()
    assert pilot.title == "Im Backoffice geändert"
    assert pilot.value_links.get(value=first_value.value).strength == data["value_links-0-strength"]
    event = AuditEvent.objects.filter(action="measure.updated").latest("id")
    assert "values" in event.changes
    assert "im backoffice geaendert" in pilot.search_document  # umlaut-folded (ADR 0078)
    assert AuditEvent.objects.filter(action="measure.updated", actor=actors["strategy_office"]).exists()


def test_services_refuse_a_user_without_permission(actors, pilot):
    from django.core.exceptions import PermissionDenied

    from kompass.measures.services import measure_update

    with pytest.raises(PermissionDenied):
        measure_update(actor=actors["coordinator_other"], measure=pilot, data={"title": "x"})
    pilot.refresh_from_db()
    assert pilot.title != "x"


@pytest.mark.parametrize("role", ROLES)
def test_edit_link_only_for_those_who_may_edit(client, actors, pilot, role):
    login(client, actors[role])
    html = client.get(reverse("measures:measure", args=[pilot.slug])).content.decode()
    assert (reverse("measures:measure_edit", args=[pilot.slug]) in html) == (role in EDIT_ALLOWED)


def test_backoffice_membership_changes_are_audited(client, actors, pilot):
    person = actors["citizen"]
    office = actors["strategy_office"]
    client.force_login(office)
    url = f"/backoffice/accounts/user/{person.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"email": person.email, "display_name": "", "language": "de", "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": 1, "memberships-INITIAL_FORMS": 0, "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000, "memberships-0-organisation": pilot.responsible_organisation_id,
            "memberships-0-role": "coordinator", "memberships-0-user": person.pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert person.memberships.get().role == "coordinator"
    assert AuditEvent.objects.filter(action="membership.created", actor=office).exists()
    assert not any("password" in key for e in AuditEvent.objects.all() for key in e.changes)
