"""Settings of the loopback cluster: the production settings, with one change. Every synthetic citizen comes
from 127.0.0.1, so the per-IP rate limit factor is raised; the per-account limits stay as they are."""

from config.settings import *  # noqa: F403

KOMPASS_RATE_IP_FACTOR = 100_000
