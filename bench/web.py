"""Web benchmark of issue 6: `make bench SIZE=S|M|XL DB=sqlite|postgres` (docs/benchmarks.md).

1. Generates a dataset with `manage.py generate_data`, or reuses the one a stamp says was
   made with the same size, seed and database.
2. Serves Amends under gunicorn (production settings, DEBUG off) on 127.0.0.1, behind a
   pretend TLS proxy: requests carry `X-Forwarded-Proto: https`, as nginx would send.
3. Signs in as real roles through the sign-in and second-factor pages (TOTP).
4. Times each page (≥ 200 requests after warm-ups), counts its queries in-process, runs a
   mixed load and (SQLite) a writers-only load with locust, reads each worker's peak
   memory, runs `manage.py explain_pages` on PostgreSQL, and writes
   var/bench/<size>-<db>.json and .md.

All traffic goes to 127.0.0.1, bounded in count and time.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import html
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

import psutil  # type: ignore[import-untyped]  # no stubs installed; used at the edge
import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import report  # noqa: E402
from bench.support import (  # noqa: E402
    LoopbackCookieJar,
    generator_digest,
    stamp_matches,
    totp,
    write_stamp,
)

OUT = ROOT / "var" / "bench"
MANAGE = [sys.executable, str(ROOT / "manage.py")]
SIZES = ("S", "M", "XL")
# Tried in order with django.urls.reverse(name, kwargs={"slug": ...}); the first that
# exists is the programme dashboard.
DASHBOARD_URL_NAMES = (
    "dashboard:programme",
    "programmes:dashboard",
    "dashboards:programme",
    "programmes:programme_dashboard",
    "reports:dashboard",
)
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}


def say(text: str, end: str = "\n") -> None:
    sys.stdout.write(text + end)
    sys.stdout.flush()


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Config:
    size: str
    db: str
    seed: int
    port: int
    workers: int
    requests: int
    warmups: int
    deep_pages: int
    mixed_seconds: int
    mixed_users: int
    writer_seconds: int
    api_share: int
    var_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.var_dir = OUT / f"env-{self.size}-{self.db}"

    @property
    def label(self) -> str:
        return f"{self.size}-{self.db}"

    @property
    def database_url(self) -> str:
        if self.db == "sqlite":
            return f"sqlite:///{OUT / f'data-{self.size}.sqlite3'}"
        return f"postgres://postgres@127.0.0.1:5432/amends_bench_{self.size.lower()}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def credentials(self) -> Path:
        return self.var_dir / "credentials.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_secrets(var_dir: Path) -> dict[str, Path]:
    """The bench environment's own keys, made once and reused by generator and server."""
    var_dir.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[[], str]] = {
        "AMENDS_SECRET_KEY": lambda: os.urandom(48).hex(),
        "AMENDS_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode("ascii"),
        "AMENDS_BLIND_INDEX_KEY": lambda: os.urandom(32).hex(),
    }
    paths = {}
    for name, make in makers.items():
        path = var_dir / name.removeprefix("AMENDS_").lower()
        if not path.exists():
            path.write_text(make() + "\n", encoding="utf-8")
            path.chmod(0o600)
        paths[name] = path
    return paths


def production_env(cfg: Config) -> dict[str, str]:
    """The environment of every Amends process of the run: the production profile."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMENDS_", "DATABASE_"))}
    env |= {f"{name}_FILE": str(path) for name, path in ensure_secrets(cfg.var_dir).items()}
    env |= {
        "DJANGO_SETTINGS_MODULE": "amends.settings",
        "AMENDS_ENV": "production",
        "AMENDS_VAR_DIR": str(cfg.var_dir),
        "DATABASE_URL": cfg.database_url,
        "AMENDS_ALLOWED_HOSTS": "127.0.0.1",
        "AMENDS_SITE_URL": f"https://127.0.0.1:{cfg.port}",
        # TLS ends at a (pretend) proxy that sets X-Forwarded-Proto/-For: production's
        # documented setup, so HTTPS redirects, secure cookies and CSRF stay on.
        "AMENDS_BEHIND_PROXY": "1",
        "AMENDS_TRUSTED_PROXY_COUNT": "1",
        # Required in production; nothing is sent: no worker runs during the benchmark.
        "AMENDS_EMAIL_HOST": "127.0.0.1",
        "AMENDS_LOG_LEVEL": "WARNING",
    }
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    # Our own manage.py with arguments this file chooses.
    return subprocess.run([*MANAGE, *args], env=env, cwd=ROOT, check=check).returncode  # noqa: S603


def has_command(env: dict[str, str], name: str) -> bool:
    probe = subprocess.run(  # noqa: S603 - our own manage.py
        [*MANAGE, "help", name], env=env, cwd=ROOT, capture_output=True, check=False
    )
    return probe.returncode == 0


# --- 1. dataset --------------------------------------------------------------------------


def recreate_database(cfg: Config) -> None:
    if cfg.db == "sqlite":
        name = cfg.database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    database = f"amends_bench_{cfg.size.lower()}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{database}"')


def prepare_dataset(cfg: Config, env: dict[str, str]) -> dict[str, Any]:
    stamp = cfg.var_dir / "dataset.json"
    wanted = {
        "size": cfg.size,
        "seed": cfg.seed,
        "database": cfg.database_url,
        "generator": generator_digest(ROOT),
    }
    if stamp_matches(stamp, wanted) and cfg.credentials.exists():
        say(f"Reusing the {cfg.size} dataset ({cfg.database_url}).")
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        # The load time of the reused dataset, from its stamp (`make bench-data`).
        seconds = json.loads(stamp.read_text(encoding="utf-8")).get("generator_seconds")
        return {"seed": cfg.seed, "seconds": seconds, "reused": True}
    if not has_command(env, "generate_data"):
        raise SystemExit("manage.py generate_data does not exist yet: no dataset to measure.")
    stamp.unlink(missing_ok=True)
    recreate_database(cfg)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    started = time.perf_counter()
    manage(
        env,
        "generate_data",
        "--size",
        cfg.size,
        "--seed",
        str(cfg.seed),
        "--credentials",
        str(cfg.credentials),
    )
    seconds = round(time.perf_counter() - started, 1)
    write_stamp(stamp, wanted, generator_seconds=seconds)
    return {"seed": cfg.seed, "seconds": seconds, "reused": False}


# --- 2. server ---------------------------------------------------------------------------


@contextmanager
def gunicorn(cfg: Config, env: dict[str, str], log: Path) -> Iterator[psutil.Process]:
    """Amends under gunicorn; stopped (SIGTERM, then SIGKILL) however the run ends."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "amends.wsgi:application",
        f"--bind=127.0.0.1:{cfg.port}",
        f"--workers={cfg.workers}",
        "--worker-class=sync",
        "--timeout=60",
        "--graceful-timeout=10",
        "--no-control-socket",  # one shared path in $HOME; two runs would collide
    ]
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            command, env=env, cwd=ROOT, stdout=output, stderr=output
        )
        try:
            wait_healthy(cfg, server)
            yield psutil.Process(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_healthy(cfg: Config, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see its log.")
        # A refused connection means it is still starting: try again shortly.
        with contextlib.suppress(requests.RequestException):
            answer = requests.get(f"{cfg.base_url}/health/", headers=PROXY_HEADERS, timeout=10)
            if answer.status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /health/ within 60 s.")


def workers_peak_mib(master: psutil.Process) -> dict[str, float]:
    peaks = {}
    for worker in master.children():
        status = Path(f"/proc/{worker.pid}/status").read_text(encoding="utf-8")
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            peaks[str(worker.pid)] = round(int(match.group(1)) / 1024, 1)
    return peaks


def server_cpu_seconds(master: psutil.Process) -> float:
    total = 0.0
    for process in [master, *master.children()]:
        times = process.cpu_times()
        total += times.user + times.system
    return round(total, 2)


# --- 3. signing in -----------------------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(page: str) -> str:
    match = _CSRF_INPUT.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def new_session(cfg: Config) -> requests.Session:
    session = requests.Session()
    session.headers.update(PROXY_HEADERS)
    session.cookies = LoopbackCookieJar()
    return session


def sign_in(cfg: Config, email: str, password: str, secret: str) -> requests.Session:
    """Through allauth's real pages: e-mail and password, then a TOTP code."""
    session = new_session(cfg)
    origin = {"Origin": f"https://127.0.0.1:{cfg.port}"}
    page = session.get(f"{cfg.base_url}/accounts/login/", timeout=30)
    answer = session.post(
        f"{cfg.base_url}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers=origin,
        timeout=30,
    )
    if "/2fa/" not in answer.url:
        raise SystemExit(f"Sign-in of {email} did not reach the second factor ({answer.url}).")
    answer = session.post(
        answer.url,
        data={"code": totp(secret), "csrfmiddlewaretoken": csrf_token(answer.text)},
        headers=origin,
        timeout=30,
    )
    if "/accounts/" in answer.url or answer.status_code != 200:
        raise SystemExit(f"Second factor of {email} refused ({answer.status_code} {answer.url}).")
    return session


# --- 4. endpoints ------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    role: str
    urls: list[str]
    # The answer that means success: a reference search sends you to the case (302).
    expect: int = 200


def _sample_pks(queryset: Any, count: int, rng: random.Random) -> list[int]:
    """Up to `count` distinct pks of `queryset`, spread over its pk range, by index seeks."""
    from django.db.models import Max, Min

    bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    found: set[int] = set()
    for _ in range(count * 3):
        start = rng.randint(bounds["low"], bounds["high"])
        pk = queryset.filter(pk__gte=start).order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            found.add(pk)
        if len(found) >= count:
            break
    return sorted(found)


def plan_endpoints(users: dict[str, Any], slug: str, rng: random.Random) -> dict[str, Any]:
    """Which URLs each endpoint requests, drawn (seeded) from the dataset in-process."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from amends.cases.listing import STAGE_OPEN, CaseSort, case_list_for_user
    from amends.cases.models import Case, ContactMethod, Participant
    from amends.cases.services.participants import contact_problems
    from amends.people.models import ContactChannel, Person
    from amends.programmes.models import Programme

    programme = Programme.objects.get(slug=slug)
    coordinator = users["coordinator"]
    visible = case_list_for_user(coordinator).cases.filter(programme=programme)
    case_pks = _sample_pks(visible, 60, rng)
    cases = list(Case.objects.filter(pk__in=case_pks).values_list("pk", "reference"))
    participants = list(
        Participant.objects.filter(case_id__in=case_pks).select_related("case", "person")
    )
    person_ids = sorted({participant.person_id for participant in participants})
    # Writes go to people who may be contacted in person today (a withdrawn person is
    # refused: that is the safeguard working, not a failure of the load).
    today = timezone.localdate()
    writable = [
        (participant.case.reference, participant.pk)
        for participant in participants
        if participant.case.closed_at is None
        and not contact_problems(participant, ContactMethod.IN_PERSON, None, today)
    ]
    names = [
        f"{p.given_name} {p.family_name}".strip()
        for p in Person.objects.filter(pk__in=person_ids[:40])
    ]
    contacts = [
        channel.value
        for channel in ContactChannel.objects.filter(
            person_id__in=person_ids,
            kind__in=[ContactChannel.Kind.PHONE, ContactChannel.Kind.EMAIL],
        )[:40]
    ]
    # Filtered (one programme, open cases: the form's default stage) and sorted (newest).
    listing = "/cases/?" + urlencode(
        {"programme": programme.pk, "stage": STAGE_OPEN, "sort": CaseSort.OPENED, "per_page": 25}
    )
    notes: list[str] = []
    endpoints = [
        Endpoint("home", "coordinator", ["/"]),
        Endpoint("case_list", "coordinator", [listing]),
        Endpoint("case_page", "coordinator", [f"/cases/{ref}/" for _, ref in cases]),
        Endpoint("search_name", "coordinator", [f"/cases/?q={quote(n)}" for n in names]),
        Endpoint("search_contact", "coordinator", [f"/cases/?q={quote(c)}" for c in contacts]),
        Endpoint("reference_lookup", "coordinator", [f"/cases/?q={ref}" for _, ref in cases], 302),
        Endpoint("my_work", "coordinator", ["/work/"]),
        Endpoint("my_work_facilitator", "facilitator", ["/work/"]),
        Endpoint(
            "audit_trail",
            "supervisor",
            [f"/audit/?target_type=cases.case&target_id={pk}" for pk, _ in cases],
        ),
        Endpoint("overdue", "supervisor", [f"/work/{slug}/overdue/"]),
        Endpoint("roster", "coordinator", [f"/facilitators/programme/{slug}/"]),
    ]
    for name in DASHBOARD_URL_NAMES:
        try:
            endpoints.append(Endpoint("dashboard", "supervisor", [reverse(name, args=[slug])]))
            break
        except NoReverseMatch:
            continue
    else:
        notes.append(f"No programme dashboard yet (tried {', '.join(DASHBOARD_URL_NAMES)}).")
    try:
        reverse("api:case_list")
    except NoReverseMatch:
        notes.append("No JSON API: its share of the mixed load goes to page reads.")
    else:
        endpoints += [
            Endpoint("api_cases", "coordinator", [f"/api/v1/cases/?programme={slug}"]),
            Endpoint("api_case", "coordinator", [f"/api/v1/cases/{ref}/" for _, ref in cases]),
            Endpoint("api_work", "coordinator", ["/api/v1/work/"]),
        ]
    empty = [e.name for e in endpoints if not e.urls]
    if empty:
        notes.append(f"Nothing in the dataset to request for: {', '.join(empty)}.")
    return {
        "endpoints": [e for e in endpoints if e.urls],
        "participants": writable,
        "notes": notes,
    }


def quote(text: str) -> str:
    return quote_plus(text)


_NEXT_LINK = re.compile(r'<a\b[^>]*\brel="next"[^>]*>')
_HREF = re.compile(r'\bhref="([^"]+)"')


def deep_page(session: requests.Session, cfg: Config, first: str) -> tuple[str, int]:
    """Follow the list's "next" link up to cfg.deep_pages times; the page reached."""
    url, hops = first, 0
    while hops < cfg.deep_pages:
        page = session.get(cfg.base_url + url, timeout=30).text
        tag = _NEXT_LINK.search(page)
        href = _HREF.search(tag.group(0)) if tag else None
        if not href:
            break
        target = html.unescape(href.group(1))
        url = target if target.startswith("/") else "/cases/" + target
        hops += 1
    return url, hops


def time_endpoint(
    session: requests.Session, cfg: Config, endpoint: Endpoint, rng: random.Random
) -> dict[str, Any]:
    urls = list(endpoint.urls)
    rng.shuffle(urls)
    for n in range(cfg.warmups):
        session.get(cfg.base_url + urls[n % len(urls)], allow_redirects=False, timeout=60)
    durations, statuses = [], []
    for n in range(cfg.requests):
        started = time.perf_counter()
        answer = session.get(cfg.base_url + urls[n % len(urls)], allow_redirects=False, timeout=60)
        durations.append((time.perf_counter() - started) * 1000)
        statuses.append(answer.status_code)
    return {
        "role": endpoint.role,
        "samples": len(urls),
        **report.summarise(durations, statuses, expect=endpoint.expect),
    }


def count_queries(user: Any, url: str) -> int:
    """Queries of one request, in-process, with the test client signed in as `user`."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", headers=PROXY_HEADERS)
    client.force_login(user)
    client.get(url, secure=True)  # the first request of a session does extra work
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    return len(captured.captured_queries)


# --- 7. load with locust -----------------------------------------------------------------


def run_locust(cfg: Config, plan: Path, mode: str, users: int, seconds: int) -> dict[str, Any]:
    prefix = OUT / f"locust-{cfg.label}-{mode}"
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={users}",
        f"--run-time={seconds}s",
        "--stop-timeout=10",
        f"--host={cfg.base_url}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
    ]
    env = os.environ | {"BENCH_PLAN": str(plan), "BENCH_MODE": mode}
    # The venv's locust with fixed arguments; its exit status is 1 when any request
    # failed, which the CSV reports in detail.
    subprocess.run(command, env=env, cwd=ROOT, check=False, timeout=seconds + 120)  # noqa: S603
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
    }


# --- the run -----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str:
    # Read-only git commands, for the report's provenance.
    head = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(  # noqa: S603
        ["git", "status", "--porcelain"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def run(cfg: Config) -> dict[str, Any]:
    env = production_env(cfg)
    result: dict[str, Any] = {
        "size": cfg.size,
        "db": cfg.db,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "server": {"workers": cfg.workers, "worker_class": "sync"},
        "generator": prepare_dataset(cfg, env),
    }
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    os.environ.update(env)
    import django

    django.setup()
    from amends.accounts.models import User

    credentials = json.loads(cfg.credentials.read_text(encoding="utf-8"))
    by_role = {entry["role"]: entry for entry in credentials["users"]}
    users = {role: User.objects.get(email=entry["email"]) for role, entry in by_role.items()}
    rng = random.Random(cfg.seed)  # noqa: S311 - seeded samples, nothing secret
    planned = plan_endpoints(users, by_role["coordinator"]["programme"], rng)
    endpoints: list[Endpoint] = planned["endpoints"]
    result["notes"] = planned["notes"]
    log = OUT / f"server-{cfg.label}.log"
    with gunicorn(cfg, env, log) as master:
        sessions = {
            role: sign_in(
                cfg, by_role[role]["email"], credentials["password"], by_role[role]["totp_secret"]
            )
            for role in sorted({e.role for e in endpoints})
        }
        listing = next(e for e in endpoints if e.name == "case_list")
        deep, hops = deep_page(sessions["coordinator"], cfg, listing.urls[0])
        if hops == 0:
            raise SystemExit(f"The case list {listing.urls[0]} shows no next page: check it.")
        endpoints.insert(2, Endpoint("case_list_deep", "coordinator", [deep]))
        result["notes"].append(f"case_list_deep is the list's page after {hops} 'next' links.")
        figures: dict[str, dict[str, Any]] = {}
        for endpoint in endpoints:
            say(f"  {endpoint.name} …", end=" ")
            figures[endpoint.name] = time_endpoint(sessions[endpoint.role], cfg, endpoint, rng)
            figures[endpoint.name]["queries"] = count_queries(
                users[endpoint.role], endpoint.urls[0]
            )
            say(f"p95 {figures[endpoint.name]['p95_ms']} ms")
        result["endpoints"] = figures
        plan = write_load_plan(cfg, sessions, planned["participants"], endpoints)
        cpu_before, started = server_cpu_seconds(master), time.monotonic()
        mixed = run_locust(cfg, plan, "mixed", cfg.mixed_users, cfg.mixed_seconds)
        mixed["server_cpu_percent"] = round(
            100 * (server_cpu_seconds(master) - cpu_before) / (time.monotonic() - started)
        )
        mixed["shares"] = load_shares(cfg.api_share, "api_cases" in figures)
        result["mixed"] = mixed
        if cfg.db == "sqlite":
            offset = log.stat().st_size
            writers = run_locust(cfg, plan, "writers", 8, cfg.writer_seconds)
            with log.open(encoding="utf-8", errors="replace") as handle:
                handle.seek(offset)
                writers["locked"] = handle.read().count("database is locked")
            result["writers"] = writers
        result["memory"] = {
            "workers_peak_mib": workers_peak_mib(master),
            "cpu_seconds": server_cpu_seconds(master),
        }
    result["explain"] = explain_pages(cfg, env, endpoints, by_role, result["notes"])
    baseline = OUT / f"S-{cfg.db}.json"
    if cfg.size != "S" and baseline.exists():
        before = json.loads(baseline.read_text(encoding="utf-8"))
        result["growth"] = report.growth_ratios(figures, before.get("endpoints", {}))
    result["targets"] = report.target_verdicts(result)
    return result


def load_shares(api_share: int, has_api: bool) -> dict[str, int]:
    """Issue 6's mix: 70% reads of list, detail and search, 20% API (BENCH_API_SHARE),
    10% writes. Without a JSON API its share goes to the page reads."""
    reads = 70 if has_api else 70 + api_share
    return {
        "list": reads // 3,
        "detail": reads // 3,
        "search": reads - 2 * (reads // 3),
        "api": api_share if has_api else 0,
        "write": 10,
    }


def write_load_plan(
    cfg: Config,
    sessions: dict[str, requests.Session],
    participants: list[tuple[str, int]],
    endpoints: list[Endpoint],
) -> Path:
    """What locust requests, and the signed-in coordinator's cookies to request it with."""
    from django.conf import settings

    urls = {e.name: e.urls for e in endpoints}
    plan = {
        "headers": PROXY_HEADERS,
        "origin": f"https://127.0.0.1:{cfg.port}",
        "cookies": sessions["coordinator"].cookies.get_dict(),
        "shares": load_shares(cfg.api_share, "api_cases" in urls),
        "list": urls["case_list"] + urls["case_list_deep"],
        "detail": urls["case_page"],
        "search": urls.get("search_name", []) + urls.get("search_contact", []),
        "api": [u for name in ("api_cases", "api_case", "api_work") for u in urls.get(name, [])],
        "participants": [f"/cases/{ref}/participants/{pk}/" for ref, pk in participants],
        "seed": cfg.seed,
        "time_zone": settings.TIME_ZONE,
    }
    path = OUT / f"plan-{cfg.label}.json"
    path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    return path


def explain_pages(
    cfg: Config,
    env: dict[str, str],
    endpoints: list[Endpoint],
    by_role: dict[str, Any],
    notes: list[str],
) -> Any:
    if cfg.db != "postgres":
        return None
    if not has_command(env, "explain_pages"):
        notes.append("manage.py explain_pages does not exist yet: query plans not checked.")
        return None
    listed = OUT / f"endpoints-{cfg.label}.json"
    out = OUT / f"explain-{cfg.label}.json"
    listed.write_text(
        json.dumps(
            [
                {"name": e.name, "path": e.urls[0], "email": by_role[e.role]["email"]}
                for e in endpoints
            ],
            indent=2,
        ),
        encoding="utf-8",
    )
    manage(env, "explain_pages", "--endpoints", str(listed), "--out", str(out), check=False)
    if not out.exists():
        notes.append("explain_pages wrote nothing.")
        return None
    text = out.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except ValueError:
        return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("SIZE") or "S")
    parser.add_argument(
        "--db", choices=("sqlite", "postgres"), default=os.environ.get("DB") or "sqlite"
    )
    parser.add_argument(
        "--dataset-only",
        action="store_true",
        help="Generate (or reuse) the dataset and stop: a long XL load, ahead of the run.",
    )
    args = parser.parse_args()
    small = args.size == "S"
    cfg = Config(
        size=args.size,
        db=args.db,
        seed=_env_int("BENCH_SEED", 20260601),
        port=_env_int("BENCH_PORT", 0) or free_port(),
        # 2 cores shared by gunicorn, the database and locust: 4 sync workers keep both
        # cores busy while some workers wait on the database, without thrashing.
        workers=_env_int("BENCH_WORKERS", 4),
        requests=max(200, _env_int("BENCH_REQUESTS", 200)),
        warmups=_env_int("BENCH_WARMUPS", 5),
        deep_pages=_env_int("BENCH_DEEP_PAGES", 20),
        mixed_seconds=_env_int("BENCH_MIXED_SECONDS", 60 if small else 600),
        mixed_users=_env_int("BENCH_USERS", 16),
        writer_seconds=_env_int("BENCH_WRITER_SECONDS", 30 if small else 300),
        api_share=_env_int("BENCH_API_SHARE", 20),
    )
    OUT.mkdir(parents=True, exist_ok=True)
    if args.dataset_only:
        dataset = prepare_dataset(cfg, production_env(cfg))
        say(f"Dataset {cfg.label} ready: {json.dumps(dataset)}")
        return
    say(f"Web benchmark {cfg.label} on 127.0.0.1:{cfg.port}")
    result = run(cfg)
    (OUT / f"{cfg.label}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (OUT / f"{cfg.label}.md").write_text(report.markdown(result), encoding="utf-8")
    say(f"Wrote {OUT / cfg.label}.json and .md")


if __name__ == "__main__":
    main()
