"""The fixed cast every test can use: one user per role in the Northshire programme, a
supervisor of another programme, a platform administrator and a user with no role
(healthchecks' hc/test.py: Alice, Bob, Charlie). Each has a real TOTP second factor."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.programmes.models import Organisation, Programme

PASSWORD = "a long and unusual test passphrase"


@pytest.fixture(autouse=True, scope="session")
def _fast_and_immediate_test_settings() -> Iterator[None]:
    """MD5 hashing (argon2 is deliberately slow) and background jobs run at once.

    override_settings, not assignment: Django's task backends are rebuilt only when the
    setting_changed signal says so.
    """
    from django.test import override_settings

    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    )
    overrides.enable()
    yield
    overrides.disable()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Uploaded files (signed consent forms) never land in the real var/uploads."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """allauth keeps its rate-limit counters in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    programme: Programme
    other_programme: Programme
    users: dict[str, User] = field(default_factory=dict)
    totp_secrets: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def case(self) -> Any:
        """A Northshire case in the `contact` stage: coordinated by `coordinator`, referred
        by `referrer`, `facilitator` assigned, `advocate` supporting the person harmed."""
        from amends.cases.models import ParticipantRole
        from amends.cases.services import (
            case_assign_facilitator,
            case_transition,
            participant_set_advocate,
        )
        from amends.cases.tests.builders import accept_referral, build_case, participant
        from amends.core.workdays import add_working_days

        users = self.__dict__["users"]
        case = build_case(
            self.programme, coordinator=users["coordinator"], submitted_by=users["referrer"]
        )
        due = add_working_days(timezone.localdate(), 3)
        case = case_transition(
            actor=None, case=case, target="screening", next_action="Screen", next_action_due=due
        )
        accept_referral(case, users["coordinator"])
        case = case_transition(
            actor=None, case=case, target="contact", next_action="Call", next_action_due=due
        )
        case_assign_facilitator(actor=None, case=case, facilitator=users["facilitator"])
        participant_set_advocate(
            actor=None,
            participant=participant(case, ParticipantRole.HARMED),
            advocate=users["advocate"],
        )
        case.refresh_from_db()
        return case

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


# name → (role in the Northshire programme, or None; platform administrator?)
CAST_MEMBERS: dict[str, tuple[Role | None, bool]] = {
    "administrator": (Role.ADMINISTRATOR, False),
    "coordinator": (Role.COORDINATOR, False),
    "supervisor": (Role.SUPERVISOR, False),
    "facilitator": (Role.FACILITATOR, False),
    "advocate": (Role.ADVOCATE, False),
    "referrer": (Role.REFERRER, False),
    "evaluator": (Role.EVALUATOR, False),
    "other_supervisor": (None, False),  # supervisor of the *other* programme
    "no_role": (None, False),
    "platform_admin": (None, True),
}


def make_user(email: str, full_name: str, *, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(email=email, password=PASSWORD, full_name=full_name)
    return User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)


def enrol_totp(user: User) -> str:
    """A real allauth TOTP authenticator (secret encrypted by our adapter)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return str(secret)


@pytest.fixture
def cast(db: Any) -> Cast:
    from amends.accounts.models import Membership

    organisation = Organisation.objects.create(name="Northshire Justice Trust", slug="northshire")
    programme = Programme.objects.create(
        organisation=organisation, name="Northshire RJ", slug="northshire-rj"
    )
    other = Programme.objects.create(
        organisation=organisation, name="Southvale RJ", slug="southvale-rj"
    )
    from amends.programmes.services import programme_setup_defaults

    for each in (programme, other):
        programme_setup_defaults(actor=None, programme=each)
    result = Cast(programme=programme, other_programme=other)
    for name, (role, superuser) in CAST_MEMBERS.items():
        user = make_user(f"{name}@example.org", name.replace("_", " ").title(), superuser=superuser)
        result.users[name] = user
        result.totp_secrets[name] = enrol_totp(user)
        if role is not None:
            Membership.objects.create(user=user, programme=programme, role=role)
    Membership.objects.create(
        user=result.users["other_supervisor"], programme=other, role=Role.SUPERVISOR
    )
    # G6: the facilitator holds a valid advanced accreditation and every endorsement, so
    # they can be assigned to any case on any day a test picks. So does the supervisor,
    # whom some tests make a facilitator too.
    _accredit(result.users["facilitator"], recorded_by=result.users["coordinator"])
    _accredit(result.users["supervisor"], recorded_by=result.users["coordinator"])
    return result


def _accredit(user: User, *, recorded_by: User) -> None:
    import datetime

    from amends.facilitators.models import Accreditation, AccreditationLevel, EndorsementRecord
    from amends.programmes.models import Endorsement

    since, until = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
    Accreditation.objects.create(
        facilitator=user,
        recorded_by=recorded_by,
        level=AccreditationLevel.ADVANCED,
        issuer="Restorative Justice Council",
        valid_from=since,
        valid_to=until,
    )
    EndorsementRecord.objects.bulk_create(
        EndorsementRecord(
            facilitator=user, recorded_by=recorded_by, endorsement=code, valid_from=since
        )
        for code in Endorsement.values
    )


@pytest.fixture
def client_for(cast: Cast) -> Callable[..., Client]:
    """A signed-in client for a cast member; `reauthenticated=True` also confirms the
    password through allauth's real re-authentication page (for sensitive actions)."""

    def make(name: str | None, *, reauthenticated: bool = False) -> Client:
        client = Client()
        if name is None:
            return client
        client.force_login(cast.users[name])
        if reauthenticated:
            response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
            assert response.status_code == 302, "re-authentication failed in the test set-up"
        return client

    return make


# --- browser tests --------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services, which this closed
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; never a downloaded browser build."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/install-chromium (make test-browser does)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database
    # work happens in the same thread, outside any coroutine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every console message about the Content Security Policy is a defect: a test reads
    # page.csp_violations at the end.
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE = Path(__file__).resolve().parent / "amends" / "static" / "vendor" / "axe-core" / "axe.min.js"


def accessibility_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG 2.x A/AA violations on the current page."""
    # Evaluated through the DevTools protocol: our strict CSP rightly refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
