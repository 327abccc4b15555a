"""Seeds the cluster's scratch database (DATABASE_URL, direct to PostgreSQL): migrate, Berlin, monitoring,
10,000 measures, 50,000 accounts, 100,000 ideas, 1,000,000 supports and 500,000 comments with COPY (the
participation benchmark's generator), citizens with a known password, a strategy-office account and a
consultation with statements and votes for the opinion-map job. Prints a JSON summary.

CLUSTER_SCALE (default 1.0) scales measures, ideas, supports and comments for a quick run."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
url = os.environ["DATABASE_URL"]
from bench.participation import bench as participation  # noqa: E402 - sets DATABASE_URL to its own database

os.environ["DATABASE_URL"] = url
os.environ.pop("KOMPASS_TESTING", None)  # that module sets it; the cluster's passwords need production hashers
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.cluster.settings"

import django  # noqa: E402

SCALE = float(os.environ.get("CLUSTER_SCALE", "1"))
CITIZENS = int(os.environ.get("CLUSTER_CITIZENS", "120"))
PASSWORD = "Cluster-pass-2026"


def main() -> None:
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from bench.generate import generate_measures
    from kompass.accounts.models import User
    from kompass.core.actors import system_actor
    from kompass.participation.models import Consultation, Statement, Vote
    from kompass.strategy.models import Strategy
    from kompass.strategy.services import strategy_load

    t0 = time.perf_counter()

    def step(what: str) -> None:
        print(f"seed: {what} after {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    call_command("migrate", verbosity=0)
    step("migrated")
    strategy_load(actor=system_actor("cluster-seed"), path=ROOT / "data/strategies/berlin-gdb.yaml")
    call_command("load_monitoring", str(ROOT / "data/monitoring/berlin-gdb-monitoring.yaml"), verbosity=0)
    strategy = Strategy.objects.get(slug="berlin-gdb")
    measures = int(10_000 * SCALE) - strategy.measures.count()
    step("strategy and monitoring loaded")
    generate_measures(strategy, measures, organisations=200, seed=7)
    step("measures generated")
    participation.seed_users(int(50_000 * max(SCALE, 0.1)))
    participation.grow({"ideas": int(100_000 * SCALE), "supports": int(1_000_000 * SCALE),
                        "comments": int(500_000 * SCALE)}, random.Random(12))
    step("participation seeded")
    hashed = make_password(PASSWORD)  # one hash for all citizens: seeding stays fast
    User.objects.bulk_create([User(email=f"citizen{i}@example.org", display_name=f"Bürgerin {i}", password=hashed)
                              for i in range(CITIZENS)])
    User.objects.create(email="office@example.org", display_name="Strategiebüro", password=hashed,
                        is_strategy_office=True)
    now = timezone.now()
    consultation = Consultation.objects.create(
        strategy=strategy, slug="cluster-polis", kind=Consultation.Kind.STATEMENTS, title="Meinungsbild Cluster",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
    statements = Statement.objects.bulk_create([Statement(consultation=consultation, text=f"Aussage {j}",
                                                          status=Statement.Status.APPROVED) for j in range(30)])
    voters = list(User.objects.filter(email__startswith="bench").order_by("pk")[:600])
    rng = random.Random(3)
    Vote.objects.bulk_create([Vote(statement=s, user=u, value=rng.choice([-1, 0, 1]))
                              for u in voters for s in statements if rng.random() < 0.7], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(json.dumps({"measures": strategy.measures.count(), "seconds": round(time.perf_counter() - t0, 1),
                      "citizens": CITIZENS}))


if __name__ == "__main__":
    main()
