"""Demo roster for `manage.py demo`: the demo facilitator and four more, with a spread of
accreditations, made through the services people use.

- Femi Okafor (the demo's facilitator): advanced, every endorsement, up to date;
- Grace Mensah: intermediate, domestic-abuse endorsement, accreditation runs out in 20
  days (the roster flags it; the sweep alerts at 30, 14 and 0 days);
- Tomasz Nowak: foundation, supervision overdue (last session 120 days ago), CPD short;
- Aisha Rahman: advanced, sexual-harm and trafficking endorsements, not yet observed;
- Daniel Price: accreditation ran out 45 days ago, so G6 refuses to assign him.

Idempotent: people and records that exist already are left as they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import user_find_by_email
from amends.accounts.services import membership_grant, user_create
from amends.facilitators.models import Accreditation, AccreditationLevel, AvailabilitySlot
from amends.facilitators.services import (
    accreditation_record,
    availability_add,
    away_add,
    endorsement_record,
    observed_practice_record,
    profile_update,
    supervision_record,
    training_add,
)
from amends.programmes.models import Endorsement, Programme

ISSUER = "Restorative Justice Council"


@dataclass(frozen=True)
class DemoFacilitator:
    local_part: str
    full_name: str
    level: str
    # Accreditation valid until today + this many days (negative: it ran out).
    valid_for_days: int
    endorsements: tuple[str, ...]
    supervised_days_ago: int | None
    cpd_hours: Decimal
    observed: bool
    gender: str = ""
    languages: tuple[str, ...] = ("en",)
    regions: tuple[str, ...] = ("Riverside",)
    competencies: tuple[str, ...] = ()
    capacity: int = 6
    week: tuple[tuple[int, int, int], ...] = field(default=((0, 9, 17), (2, 9, 17)))


OTHERS = (
    DemoFacilitator(
        "grace.mensah",
        "Grace Mensah",
        AccreditationLevel.INTERMEDIATE,
        20,
        (Endorsement.DOMESTIC_ABUSE,),
        40,
        Decimal(12),
        True,
        gender="woman",
        languages=("en", "tw"),
        regions=("Riverside", "Eastbank"),
        competencies=("Ghanaian community",),
    ),
    DemoFacilitator(
        "tomasz.nowak",
        "Tomasz Nowak",
        AccreditationLevel.FOUNDATION,
        400,
        (),
        120,
        Decimal(2),
        True,
        gender="man",
        languages=("pl", "en"),
        regions=("Eastbank",),
        competencies=("Polish community",),
        capacity=4,
        week=((1, 17, 21), (3, 17, 21)),
    ),
    DemoFacilitator(
        "aisha.rahman",
        "Aisha Rahman",
        AccreditationLevel.ADVANCED,
        600,
        (Endorsement.SEXUAL_HARM, Endorsement.TRAFFICKING, Endorsement.COMPLEX_SERIOUS),
        10,
        Decimal(20),
        False,
        gender="woman",
        languages=("en", "ar", "ur"),
        regions=("Riverside",),
        competencies=("Muslim community", "Survivors of trafficking"),
        capacity=8,
    ),
    DemoFacilitator(
        "daniel.price",
        "Daniel Price",
        AccreditationLevel.INTERMEDIATE,
        -45,
        (Endorsement.YOUTH,),
        200,
        Decimal(0),
        False,
        gender="man",
        regions=("Westfield",),
    ),
)


def demo_facilitator_roster(
    programme: Programme,
    *,
    admin: User,
    supervisor: User,
    facilitator: User,
    password: str,
    domain: str,
) -> list[User]:
    """Give `programme` its demo roster and return the facilitators, `facilitator` first.

    `admin` grants the facilitator role (a platform administrator); `supervisor`, a
    supervisor of the programme, records accreditations, endorsements, supervision and
    observed practice. Call it before the demo cases are made: assigning a facilitator
    needs their accreditation (G6).
    """
    femi = DemoFacilitator(
        "facilitator",
        facilitator.full_name,
        AccreditationLevel.ADVANCED,
        700,
        tuple(Endorsement.values),
        30,
        Decimal(18),
        True,
        gender="man",
        languages=("en", "yo"),
        regions=("Riverside", "Eastbank", "Westfield"),
        competencies=("Young people", "Nigerian community"),
    )
    people = [facilitator]
    membership_grant(actor=admin, programme=programme, user=facilitator, role=Role.FACILITATOR)
    _fill(femi, facilitator, supervisor=supervisor)
    for spec in OTHERS:
        email = f"{spec.local_part}@{domain}"
        user = user_find_by_email(email) or user_create(
            actor=None, email=email, full_name=spec.full_name, password=password
        )
        membership_grant(actor=admin, programme=programme, user=user, role=Role.FACILITATOR)
        _fill(spec, user, supervisor=supervisor)
        people.append(user)
    return people


def _fill(spec: DemoFacilitator, user: User, *, supervisor: User) -> None:
    today = timezone.localdate()
    profile_update(
        actor=user,
        facilitator=user,
        gender=spec.gender,
        languages=spec.languages,
        cultural_competencies=spec.competencies,
        regions=spec.regions,
        capacity=spec.capacity,
    )
    if not AvailabilitySlot.objects.filter(facilitator=user).exists():
        for weekday, start, end in spec.week:
            availability_add(
                actor=user,
                facilitator=user,
                weekday=weekday,
                starts_at=datetime.time(start),
                ends_at=datetime.time(end),
            )
    if Accreditation.objects.filter(facilitator=user).exists():
        return
    _records(spec, user, supervisor=supervisor, today=today)


def _records(spec: DemoFacilitator, user: User, *, supervisor: User, today: datetime.date) -> None:
    days = datetime.timedelta
    valid_to = today + days(days=spec.valid_for_days)
    valid_from = min(valid_to, today) - days(days=3 * 365)
    accreditation_record(
        actor=supervisor,
        facilitator=user,
        level=spec.level,
        issuer=ISSUER,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    for code in spec.endorsements:
        endorsement_record(
            actor=supervisor, facilitator=user, endorsement=code, valid_from=valid_from
        )
    # This year's training and observation: never before 1 January, never in the future.
    this_year = max(datetime.date(today.year, 1, 1), today - days(days=30))
    if spec.cpd_hours:
        training_add(
            actor=user,
            facilitator=user,
            course="Restorative practice refresher",
            provider=ISSUER,
            completed_on=this_year,
            hours=spec.cpd_hours,
            approved_provider=True,
        )
    if spec.supervised_days_ago is not None:
        supervision_record(
            actor=supervisor,
            facilitator=user,
            held_on=today - days(days=spec.supervised_days_ago),
            supervisor=supervisor,
            notes="Reflective supervision: caseload and self-care.",
        )
    if spec.observed:
        observed_practice_record(
            actor=supervisor, facilitator=user, observed_on=this_year, observer=supervisor
        )
    if spec.local_part == "tomasz.nowak":
        away_add(
            actor=user,
            facilitator=user,
            starts_on=today + days(days=14),
            ends_on=today + days(days=27),
        )
