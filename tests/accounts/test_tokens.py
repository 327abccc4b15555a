import pytest

from kompass.accounts.api_auth import TokenAuth
from kompass.accounts.models import ApiToken
from kompass.accounts.services import user_for_token

pytestmark = pytest.mark.django_db


def test_token_created_on_the_page_authenticates_until_revoked(client, make_user):
    user = make_user("dev@example.org")
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "Import-Skript"})
    secret = page.context["secret"]
    assert secret.startswith("kp_")
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != secret and secret not in token.key_hash  # only the hash is stored
    assert user_for_token(secret) == user
    assert user_for_token(secret + "x") is None
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert user_for_token(secret) is None


def test_token_page_needs_a_name(client, make_user):
    client.force_login(make_user("dev@example.org"))
    assert client.post("/accounts/tokens/", {"name": " "}).status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client, make_user):
    from kompass.accounts.services import api_token_create

    owner = make_user("owner@example.org")
    token, secret = api_token_create(actor=owner, user=owner, name="x")
    client.force_login(make_user("thief@example.org"))
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert user_for_token(secret) == owner


def test_bearer_auth_sets_the_acting_user(make_user, rf):
    from kompass.accounts.services import api_token_create

    user = make_user("bot@example.org")
    _t, secret = api_token_create(actor=user, user=user, name="bot")
    request = rf.post("/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert TokenAuth()(request) == user and request.user == user
    assert TokenAuth()(rf.post("/", HTTP_AUTHORIZATION="Bearer kp_wrong")) is None


def test_deactivated_users_tokens_stop_working(make_user):
    from kompass.accounts.services import api_token_create

    user = make_user("leaver@example.org")
    _t, secret = api_token_create(actor=user, user=user, name="x")
    user.is_active = False
    user.save()
    assert user_for_token(secret) is None



def test_a_tokens_last_use_is_recorded_at_most_once_a_minute(make_user, monkeypatch):
    """Every authenticated request would otherwise write a row; the time of last use moves only when more than
    60 seconds have passed since the recorded one."""
    import datetime

    from django.utils import timezone

    from kompass.accounts.models import ApiToken
    from kompass.accounts.services import api_token_create

    user = make_user("poller@example.org")
    token, secret = api_token_create(actor=user, user=user, name="poll")
    start = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=start)
    for seconds, recorded in ((60, start), (61, start + datetime.timedelta(seconds=61))):
        monkeypatch.setattr(timezone, "now", lambda s=seconds: start + datetime.timedelta(seconds=s))
        assert user_for_token(secret) == user
        assert ApiToken.objects.get(pk=token.pk).last_used_at == recorded
