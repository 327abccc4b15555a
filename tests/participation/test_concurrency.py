"""200 parallel supports from distinct accounts give exactly 200; a double support gives one. Needs real
concurrent connections, so it runs on PostgreSQL only (SQLite serialises all writers on one file lock and the
test database is in memory, shared by no second connection)."""

import threading

import pytest
from django.db import connection, connections

from kompass.accounts.models import User
from kompass.participation import services
from kompass.participation.models import Idea, Support

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite has no concurrent writers on separate connections"),
]


def test_parallel_supports_are_exact(berlin_committed):
    berlin = berlin_committed
    author = User.objects.create_user(email="author@example.org", password="x")
    idea = services.idea_create(actor=author, strategy=berlin, title="Parallel", text="t")
    users = User.objects.bulk_create([User(email=f"p{i}@example.org") for i in range(200)])
    double = users[0]
    barrier = threading.Barrier(20)
    errors = []

    def worker(chunk):
        try:
            barrier.wait(timeout=30)
            for user in chunk:
                services.support_add(actor=user, idea=idea)
            services.support_add(actor=double, idea=idea)  # every thread tries the same double support
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(users[i::20],)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    idea.refresh_from_db()
    assert idea.support_count == 200 == Support.objects.filter(idea=idea).count()
    assert Support.objects.filter(idea=idea, user=double).count() == 1
    Idea.objects.filter(pk=idea.pk).delete()
