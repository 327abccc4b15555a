"""The cluster test's clients: anonymous browsers and logged-in citizens, and what they were told."""

from __future__ import annotations

import random
import re
import threading
import time

import requests

from bench.cluster.config import BASE


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[tuple[float, float, str]] = []  # (start, end, what): 5xx and connection failures
        self.requests = 0
        self.acks = {"supports": [], "ideas": [], "comments": []}
        self.statuses: dict[int, int] = {}

    def record(self, started: float, elapsed: float, status: int | None, what: str) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(elapsed)
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if status is None or status >= 500:
                self.failures.append((started, started + elapsed, f"{what} -> {status}"))


def timed(stats: Stats, session: requests.Session, method: str, path: str, **kwargs):
    started = time.time()
    t = time.perf_counter()
    try:
        response = session.request(method, BASE + path, timeout=30, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        stats.record(started, time.perf_counter() - t, None, f"{method} {path} {type(exc).__name__}")
        return None
    stats.record(started, time.perf_counter() - t, response.status_code, f"{method} {path}")
    return response


def browse(stats: Stats, urls: list[str], stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    while not stop.is_set():
        timed(stats, session, "GET", rng.choice(urls))


SUCCESS = {"support": "Vielen Dank für Ihre Unterstützung.", "comment": "Ihr Kommentar wurde veröffentlicht.",
           "idea": "Vielen Dank! Ihre Idee wurde veröffentlicht."}


def login(stats: Stats, email: str) -> requests.Session | None:
    session = requests.Session()
    page = timed(stats, session, "GET", "/accounts/login/")
    if page is None or page.status_code != 200:
        return None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    done = timed(stats, session, "POST", "/accounts/login/", data={
        "csrfmiddlewaretoken": token, "username": email, "password": "Cluster-pass-2026"})
    return session if done is not None and done.status_code == 302 else None


def acknowledged(stats: Stats, session: requests.Session, response, kind: str, target: str | None = None) -> bool:
    """What a person is told: the post redirects, and the page it leads to shows the success message. A write
    whose confirmation page never arrived is not acknowledged (it may or may not be stored)."""
    if response is None or response.status_code != 302:
        return False
    location = response.headers.get("Location", "")
    if target is not None and location != target:
        return False
    if target is None and not re.match(r"^/ideas/\d+/$", location):
        return False
    page = timed(stats, session, "GET", location)
    return page is not None and page.status_code == 200 and SUCCESS[kind] in page.text


def citizen(stats: Stats, sessions: list, ideas: tuple[int, int], stop: threading.Event, seed: int) -> None:
    """Logged-in citizens supporting, commenting, posting ideas and reading idea pages. A support whose answer
    was a 502/connection failure is sent again (as a person would press the button again): supports are
    idempotent, so a retry must never count twice. Comments and ideas are not retried."""
    rng = random.Random(seed)
    while not stop.is_set() and sessions:
        email, session, supported, made = rng.choice(sessions)
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
        action = rng.random()
        tag = f"{seed}-{rng.getrandbits(48):012x}"
        if action < 0.5:
            idea = rng.randint(*ideas)
            if idea in supported:
                continue
            supported.add(idea)
            for _attempt in range(3):
                r = timed(stats, session, "POST", f"/ideas/{idea}/support/", headers=headers,
                          data={"next": f"/ideas/{idea}/"})
                if r is None or r.status_code >= 500:
                    time.sleep(1)
                    continue
                if acknowledged(stats, session, r, "support", f"/ideas/{idea}/"):
                    with stats.lock:
                        stats.acks["supports"].append((email, idea))
                break
        elif action < 0.7:
            idea = rng.randint(*ideas)
            r = timed(stats, session, "POST", f"/ideas/{idea}/comment/", headers=headers,
                      data={"text": f"Kommentar aus dem Lasttest {tag}", "next": f"/ideas/{idea}/"})
            if acknowledged(stats, session, r, "comment", f"/ideas/{idea}/"):
                with stats.lock:
                    stats.acks["comments"].append(tag)
        elif action < 0.75 and made[0] < 5:
            made[0] += 1
            r = timed(stats, session, "POST", "/ideas/new/", headers=headers,
                      data={"kind": "idea", "title": f"Idee aus dem Lasttest {tag}",
                            "text": "Eine Idee, die ein Lasttest eingereicht hat, mit genug Text."})
            if acknowledged(stats, session, r, "idea"):
                with stats.lock:
                    stats.acks["ideas"].append(tag)
        else:
            pages = [f"/ideas/{rng.randint(*ideas)}/", "/ideas/", "/accounts/settings/", "/notifications/"]
            timed(stats, session, "GET", rng.choice(pages))
