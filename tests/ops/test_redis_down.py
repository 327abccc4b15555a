"""While the shared cache (Redis) is down or restarting, no request fails (found by make cluster-test): the cache
answers misses, the rate limiter counts in the database, pages and posts work (issue 12)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from kompass.core import ratelimit
from kompass.core.models import RateCounter
from kompass.participation.models import Idea, Support

# Nothing listens on this port (the ops helper's range); connecting is refused at once.
DEAD_REDIS = {"default": {"BACKEND": "kompass.ops.redis_cache.ResilientRedisCache",
                          "LOCATION": "redis://127.0.0.1:8299/0",
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}


@pytest.fixture
def redis_down():
    with override_settings(CACHES=DEAD_REDIS, KOMPASS_PAGE_CACHE_SECONDS=60):
        yield caches["default"]


def test_cache_calls_answer_as_misses(redis_down):
    from kompass.ops.metrics import CACHE_ERRORS

    before = CACHE_ERRORS.labels("get")._value.get()
    assert redis_down.get("k", "fallback") == "fallback"
    assert CACHE_ERRORS.labels("get")._value.get() == before + 1
    assert redis_down.get_many(["a", "b"]) == {}
    assert redis_down.add("k", 1, 10) is False
    assert redis_down.delete("k") is False
    assert redis_down.has_key("k") is False
    assert redis_down.set_many({"a": 1}) == ["a"]
    redis_down.set("k", 1, 10)  # no exception
    assert redis_down.get_or_set("k", 5) == 5


def test_counting_still_raises_so_callers_can_fall_back(redis_down):
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        redis_down.incr("k")


@pytest.mark.django_db
def test_rate_limits_hold_in_the_database_while_redis_is_down(redis_down, make_user):
    user = make_user("limited@example.org")
    assert ratelimit.uses_redis()
    with override_settings(KOMPASS_RATE_LIMITS={"comment": (2, 600)}):
        ratelimit.check_rate(user, "comment")
        ratelimit.check_rate(user, "comment")
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.check_rate(user, "comment")
    assert RateCounter.objects.filter(key__startswith="rl:comment:u:").get().count == 3


@pytest.mark.django_db
def test_pages_and_a_support_work_while_redis_is_down(redis_down, client, berlin, pilot, make_user):
    author = make_user("author@example.org")
    idea = Idea.objects.create(strategy=berlin, author=author, title="Eine Idee", text="Text der Idee")
    for url in ("/", f"/measures/{pilot.slug}/", "/ideas/", f"/ideas/{idea.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Kompass-Cache" not in response  # the page cache stepped aside
    citizen = make_user("citizen@example.org")
    client.force_login(citizen)
    response = client.post(f"/ideas/{idea.pk}/support/", {"next": f"/ideas/{idea.pk}/"})
    assert response.status_code == 302
    assert Support.objects.filter(idea=idea, user=citizen).count() == 1
    idea.refresh_from_db()
    assert idea.support_count == 1
