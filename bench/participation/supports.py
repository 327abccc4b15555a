"""Supports per second through the service layer, on its own (a quiet machine is what this number needs).

    bash bench/participation/run.sh          # once: seeds kompass_participation_bench (FULL size)
    .venv/bin/python bench/participation/supports.py

Reuses the FULL benchmark database; each run adds fresh ideas, so it can be repeated."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KOMPASS_TESTING", "1")
server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{server}/kompass_participation_bench"

import django  # noqa: E402

django.setup()
import bench as participation_bench  # noqa: E402  (bench/participation/bench.py)

print(json.dumps(participation_bench.supports_throughput(), indent=1))
