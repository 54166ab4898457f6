"""`manage.py demo`: one organisation, two programmes and one user per role, idempotently.

Everything is created through the services, as a real administrator would, so the demo
data is audited and validated like any other. Later features add their own demo records
here so the demo always shows a living programme.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import user_find_by_email
from amends.accounts.services import membership_grant, user_create
from amends.cases.models import Case
from amends.core.management.demo_cases import Team, create_demo_cases
from amends.facilitators.demo import demo_facilitator_roster
from amends.programmes.models import Organisation, Programme
from amends.programmes.services import (
    organisation_create,
    programme_create,
    programme_setup_defaults,
)

DEMO_PASSWORD = "restorative-demo-2026"  # noqa: S105 - printed for demo sign-in; never production
DEMO_DOMAIN = "demo.amends.test"
ORGANISATION = ("Riverside Restorative Justice Service", "riverside")
PROGRAMMES = [
    ("Riverside Victim-Led RJ", "riverside-rj", "England and Wales"),
    ("Riverside Youth Diversion", "youth-diversion", "England and Wales"),
]
# e-mail local part → (full name, roles in the first programme, roles in the second)
PEOPLE: dict[str, tuple[str, list[Role], list[Role]]] = {
    "administrator": ("Ada Adeyemi", [Role.ADMINISTRATOR], [Role.ADMINISTRATOR]),
    "coordinator": ("Colm Byrne", [Role.COORDINATOR], [Role.FACILITATOR]),
    "supervisor": ("Sunita Rao", [Role.SUPERVISOR], [Role.SUPERVISOR]),
    "facilitator": ("Femi Okafor", [Role.FACILITATOR], []),
    "advocate": ("Ana Lucía Gómez", [Role.ADVOCATE], []),
    "referrer": ("PC Rhys Morgan", [Role.REFERRER], [Role.REFERRER]),
    "evaluator": ("Eva Lindqvist", [Role.EVALUATOR], [Role.EVALUATOR]),
}
PLATFORM_ADMIN = ("platform", "Pat Platform")


class Command(BaseCommand):
    help = "Create the demo organisation, programmes and one user per role (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing (but print the sign-ins) when the demo data already exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded into a production installation.")
        exists = Organisation.objects.filter(slug=ORGANISATION[1]).exists()
        if not (options["once"] and exists):
            with transaction.atomic():
                self._create()
            self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self._print_sign_ins()

    def _create(self) -> None:
        admin = self._user(*PLATFORM_ADMIN, superuser=True)
        organisation = Organisation.objects.filter(slug=ORGANISATION[1]).first()
        if organisation is None:
            organisation = organisation_create(
                actor=admin, name=ORGANISATION[0], slug=ORGANISATION[1]
            )
        programmes = [self._programme(admin, organisation, *spec) for spec in PROGRAMMES]
        users = {}
        for local_part, (full_name, *roles_by_programme) in PEOPLE.items():
            user = users[local_part] = self._user(local_part, full_name)
            for programme, roles in zip(programmes, roles_by_programme, strict=True):
                for role in roles:
                    membership_grant(actor=admin, programme=programme, user=user, role=role)
        for programme in programmes:
            # Idempotent: programmes made before configuration existed get theirs now.
            programme_setup_defaults(actor=admin, programme=programme)
        if not Case.objects.filter(programme=programmes[0]).exists():
            # The roster first: assigning a facilitator needs their accreditation (G6).
            demo_facilitator_roster(
                programmes[0],
                admin=admin,
                supervisor=users["supervisor"],
                facilitator=users["facilitator"],
                password=DEMO_PASSWORD,
                domain=DEMO_DOMAIN,
            )
            team = Team(**{name: users[name] for name in Team.__dataclass_fields__})
            create_demo_cases(programmes[0], team)

    def _programme(
        self, admin: User, organisation: Organisation, name: str, slug: str, jurisdiction: str
    ) -> Programme:
        existing = Programme.objects.filter(slug=slug).first()
        if existing is not None:
            return existing
        return programme_create(
            actor=admin, organisation=organisation, name=name, slug=slug, jurisdiction=jurisdiction
        )

    def _user(self, local_part: str, full_name: str, *, superuser: bool = False) -> User:
        email = f"{local_part}@{DEMO_DOMAIN}"
        user = user_find_by_email(email)
        if user is None:
            user = user_create(
                actor=None,
                email=email,
                full_name=full_name,
                password=DEMO_PASSWORD,
                platform_administrator=superuser,
            )
        return user

    def _print_sign_ins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        rows = [(f"{PLATFORM_ADMIN[0]}@{DEMO_DOMAIN}", "platform administrator")]
        rows += [
            (
                f"{local_part}@{DEMO_DOMAIN}",
                ", ".join(sorted({str(r.label) for rs in roles for r in rs})),
            )
            for local_part, (_name, *roles) in PEOPLE.items()
        ]
        for email, roles in rows:
            self.stdout.write(f"  {email:<36} {roles}")
        self.stdout.write("")
