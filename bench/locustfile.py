"""Locust users for bench/web.py's mixed and writers-only loads (not run on its own).

BENCH_PLAN names the JSON plan web.py writes (URLs, the signed-in session's cookies,
the shares of each kind of request); BENCH_MODE is "mixed" or "writers". Users wait for
nothing between requests: the load is as heavy as the users can make it.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

from locust import HttpUser, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.support import LoopbackCookieJar  # noqa: E402

PLAN: dict[str, Any] = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
MODE = os.environ.get("BENCH_MODE", "mixed")
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_counter = iter(range(1_000_000))


class Staff(HttpUser):
    def on_start(self) -> None:
        self.rng = random.Random(PLAN["seed"] + next(_counter))  # noqa: S311 - not secret
        self.client.headers.update(PLAN["headers"])
        self.client.cookies = LoopbackCookieJar()
        for name, value in PLAN["cookies"].items():
            self.client.cookies.set(name, value, domain="127.0.0.1")
        shares = PLAN["shares"] if MODE == "mixed" else {"write": 1}
        self.kinds = [kind for kind, share in shares.items() if share]
        self.weights = [shares[kind] for kind in self.kinds]

    def _read(self, kind: str) -> None:
        url = self.rng.choice(PLAN[kind])
        with self.client.get(
            url, name=f"read: {kind}", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")

    def _write(self) -> None:
        """Record an in-person contact with a participant through the real form."""
        page = self.rng.choice(PLAN["participants"])
        with self.client.get(page, name="write: participant page", catch_response=True) as form:
            match = _CSRF_INPUT.search(form.text)
            if form.status_code != 200 or not match:
                form.failure(f"no form (status {form.status_code})")
                return
        data = {
            "csrfmiddlewaretoken": match.group(1),
            "method": "in_person",
            "outcome": "reached",
            "occurred_at": _now_local(),
            "minutes": "5",
            "notes": "Benchmark contact.",
        }
        with self.client.post(
            f"{page}contact/",
            data=data,
            headers={"Origin": PLAN["origin"], "Referer": PLAN["origin"] + page},
            name="write: record contact",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or not answer.headers.get("Location", "").endswith(page):
                answer.failure(f"refused (status {answer.status_code})")

    @task
    def one(self) -> None:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        if kind == "write":
            self._write()
        else:
            self._read(kind)


def _now_local() -> str:
    """Now, as the form's datetime-local field writes it, in the programme's time zone."""
    import datetime
    import zoneinfo

    zone = zoneinfo.ZoneInfo(PLAN.get("time_zone", "Europe/London"))
    return datetime.datetime.now(zone).strftime("%Y-%m-%dT%H:%M")
