"""Adds one published citizens' panel (Stadtgremium) to the load benchmark's database, so that its public audit
page and audit PDF can be measured. Runs the officer's real steps (import, quotas, LEXIMIN selection, hash, draw,
publish) with the immediate task backend. Prints the panel's slug.

    DATABASE_URL=… TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend python bench/load/seed_panel.py
"""

from __future__ import annotations

import datetime
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.cluster.settings")

import django  # noqa: E402

CATEGORIES = {"gender": ["female", "male"], "district": ["Mitte", "Pankow", "Spandau"]}
QUOTAS = {"gender": {"female": (3, 5), "male": (3, 5)},
          "district": {"Mitte": (2, 4), "Pankow": (2, 4), "Spandau": (1, 3)}}


def pool_csv(n: int = 30) -> bytes:
    rng = random.Random(2)
    lines = ["name,email,address,gender,district"]
    for i in range(n):
        lines.append(f"Vorname{i} Zufallsname,p{i}@example.org,Straße {i},{rng.choice(CATEGORIES['gender'])},"
                     f"{CATEGORIES['district'][i % 3]}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    django.setup()
    from kompass.accounts.models import User
    from kompass.lottery import services

    officer = User.objects.create(email="officer@example.org", display_name="Losverfahren",
                                  is_lottery_officer=True)
    panel = services.panel_create(
        actor=officer, slug="stadtgremium-last", title="Stadtgremium Lasttest", purpose="Auswahl im Lasttest.",
        retention_date=datetime.date.today() + datetime.timedelta(days=365), size=8, categories=CATEGORIES,
        lottery_panels=200)
    services.respondents_import(actor=officer, panel=panel, content=pool_csv(), filename="pool.csv")
    services.quotas_set(actor=officer, panel=panel, quotas=QUOTAS)
    panel.refresh_from_db()
    services.selection_start(actor=officer, panel=panel)
    panel.refresh_from_db()
    services.hash_publish(actor=officer, panel=panel)
    services.panel_draw(actor=officer, panel=panel, seed="3 1 4 1 5 9")
    panel.refresh_from_db()
    services.panel_publish(actor=officer, panel=panel)
    print(panel.slug)


if __name__ == "__main__":
    main()
