"""Demo cases for `manage.py demo`: one programme's cases in every stage, made through
the same services people use, so each is audited and passed its gates honestly.

Among them: a domestic-abuse case paused because the person harmed withdrew consent,
and a domestic-abuse case whose assessments await a supervisor's sign-off.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils import timezone

from amends.accounts.models import User
from amends.assessments.services import assessment_record, sign_off_record
from amends.cases.gates import sign_off_required
from amends.cases.models import Case, Participant
from amends.cases.selectors import case_facts
from amends.cases.services import (
    acknowledgment_record,
    case_assign_facilitator,
    case_transition,
    case_update_plan,
    contact_record,
    information_give,
    participant_set_advocate,
)
from amends.consent.services import consent_give, consent_withdraw
from amends.core.management import demo_process
from amends.core.workdays import add_working_days
from amends.programmes.models import InformationSheet, OffenceCategory, Programme
from amends.programmes.selectors import current_assessment_template, current_information_sheet
from amends.referrals.models import JusticeStage, SourceType
from amends.referrals.services.intake import (
    ChannelInput,
    OffenceInput,
    PersonInput,
    referral_submit,
)
from amends.referrals.services.screening import referral_decide
from amends.safety.services import safety_plan_save

ORDER = ["referred", "screening", "contact", "assessment", "preparation", "ready"]
# Past `ready`, each app's demo carries the case on (demo_process.py).
AFTER_READY: dict[str, Callable[[Case, Team], Case]] = {
    "agreement": demo_process.meeting_to_agreement,
    "follow_up": demo_process.letters_to_follow_up,
    "closed": demo_process.letters_closed,
}


@dataclass(frozen=True)
class Team:
    coordinator: User
    supervisor: User
    facilitator: User
    advocate: User
    referrer: User


@dataclass(frozen=True)
class DemoCase:
    category: str
    harmed: tuple[str, str, str]  # given name, family name, phone
    responsible: tuple[str, str, str]
    account: str
    stage: str
    by_referrer: bool = False
    answers_level: int = 0
    process_type: str = "letters"


CASES = [
    DemoCase(
        "property",
        ("Maya", "Collins", "+44 7700 900101"),
        ("Jordan", "Price", "+44 7700 900102"),
        "Shed broken into and tools taken; a neighbour saw a teenager leaving.",
        "referred",
        by_referrer=True,
    ),
    DemoCase(
        "violence",
        ("Priya", "Shah", "+44 7700 900103"),
        ("Liam", "Walsh", "+44 7700 900104"),
        "Assault outside a bar after an argument about a taxi.",
        "screening",
    ),
    DemoCase(
        "violence",
        ("Tom", "Baker", "+44 7700 900105"),
        ("Ellis", "Grant", "+44 7700 900106"),
        "Punched on a bus; the person responsible has admitted it to the police.",
        "contact",
    ),
    DemoCase(
        "property",
        ("Grace", "Okoye", "+44 7700 900107"),
        ("Noah", "Evans", "+44 7700 900108"),
        "Car window smashed and a bag stolen.",
        "preparation",
    ),
    DemoCase(
        "violence",
        ("Ruth", "Adler", "+44 7700 900109"),
        ("Kai", "Morgan", "+44 7700 900110"),
        "Shop worker pushed over during a theft.",
        "ready",
    ),
    DemoCase(
        "domestic-abuse",
        ("Sara", "Novak", "+44 7700 900111"),
        ("Dan", "Novak", "+44 7700 900112"),
        "Controlling behaviour and damage at home; now separated.",
        "assessment",
        answers_level=1,
    ),
    DemoCase(
        "domestic-abuse",
        ("Leah", "Byrne", "+44 7700 900113"),
        ("Mark", "Byrne", "+44 7700 900114"),
        "Threats by text after the end of the relationship.",
        "paused",
    ),
    DemoCase(
        "property",
        ("Irena", "Kowalska", "+44 7700 900117"),
        ("Callum", "Hughes", "+44 7700 900118"),
        "Bike stolen from a front garden and sold on; the person responsible wants to make amends.",
        "agreement",
        process_type="meeting",
    ),
    DemoCase(
        "violence",
        ("José", "Núñez", "+44 7700 900119"),
        ("Aaron", "Fletcher", "+44 7700 900120"),
        "Threatened with a bottle at a bus stop; both prefer to write rather than meet.",
        "follow_up",
    ),
    DemoCase(
        "property",
        ("Fatima", "Rahman", "+44 7700 900121"),
        ("Oliver", "Stone", "+44 7700 900122"),
        "Market stall damaged during a night out.",
        "closed",
    ),
]


def create_demo_cases(programme: Programme, team: Team) -> list[Case]:
    """Create the demo cases (the caller makes this idempotent)."""
    cases = [_create(programme, team, spec) for spec in CASES]
    _decline_one(programme, team)
    demo_process.support_for(programme, [case for case in cases if case.stage == "agreement"], team)
    return cases


def _create(programme: Programme, team: Team, spec: DemoCase) -> Case:
    today = timezone.localdate()
    category = OffenceCategory.objects.get(programme=programme, code=spec.category)
    people = [
        _person("harmed", spec.harmed, safe=True),
        _person("responsible", spec.responsible, safe=True),
    ]
    if spec.category == "domestic-abuse":
        # The shared landline is the kind of channel that must never be used (G10).
        people[0] = _person("harmed", spec.harmed, safe=True, unsafe_extra="+44 1632 960000")
    case = referral_submit(
        actor=team.referrer if spec.by_referrer else team.coordinator,
        programme=programme,
        source_type=SourceType.POLICE,
        agency="Riverside Police",
        referrer_name="PC Rhys Morgan",
        referrer_contact="Riverside Police, restorative justice desk",
        initial_account=spec.account,
        crime_reported_on=today - datetime.timedelta(days=3),
        evidential_basis_confirmed=True,
        offences=[
            OffenceInput(
                category=category,
                occurred_on=today - datetime.timedelta(days=5),
                justice_stage=JusticeStage.PRE_CHARGE,
            )
        ],
        people=people,
    )
    target = {"paused": "preparation"}.get(spec.stage, spec.stage)
    if target in AFTER_READY:
        case = AFTER_READY[target](_advance(case, team, spec, "ready"), team)
    else:
        case = _advance(case, team, spec, target)
    if spec.stage == "paused":
        harmed = case.participants.get(role="harmed")
        consent_withdraw(
            actor=team.advocate,
            participant=harmed,
            scope="take_part",
            process_type=spec.process_type,
            note="Not ready to go on; may come back to it later.",
        )
    case.refresh_from_db()
    return case


def _person(
    role: str, names: tuple[str, str, str], *, safe: bool, unsafe_extra: str = ""
) -> PersonInput:
    given, family, phone = names
    channels = [ChannelInput(kind="phone", value=phone, is_safe=safe, safe_times="Weekdays 10–4")]
    if unsafe_extra:
        channels.append(
            ChannelInput(kind="phone", value=unsafe_extra, is_safe=False, notes="Shared landline")
        )
    return PersonInput(
        role=role,
        given_name=given,
        family_name=family,
        date_of_birth=datetime.date(1985 if role == "harmed" else 1992, 3, 14),
        preferred_language="en",
        channels=channels,
    )


def _move(case: Case, target: str, actor: User, action: str) -> Case:
    return case_transition(
        actor=actor,
        case=case,
        target=target,
        next_action=action,
        next_action_due=add_working_days(timezone.localdate(), 3),
    )


def _advance(case: Case, team: Team, spec: DemoCase, target: str) -> Case:
    steps: dict[str, Callable[[Case], Case]] = {
        "screening": lambda c: _move(c, "screening", team.coordinator, "Decide eligibility"),
        "contact": lambda c: _to_contact(c, team),
        "assessment": lambda c: _to_assessment(c, team),
        "preparation": lambda c: _to_preparation(c, team, spec),
        "ready": lambda c: _to_ready(c, team, spec),
    }
    for stage in ORDER[ORDER.index(case.stage) + 1 : ORDER.index(target) + 1]:
        case = steps[stage](case)
    if target == "assessment":
        _assess(case, team, spec)
    return case


def _key(case: Case) -> list[Participant]:
    return list(case.participants.filter(role__in=["harmed", "responsible"]).order_by("role"))


def _to_contact(case: Case, team: Team) -> Case:
    referral_decide(actor=team.coordinator, case=case)
    case = _move(case, "contact", team.coordinator, "Call the person harmed")
    case_assign_facilitator(actor=team.coordinator, case=case, facilitator=team.facilitator)
    harmed = case.participants.get(role="harmed")
    participant_set_advocate(actor=team.coordinator, participant=harmed, advocate=team.advocate)
    contact_record(
        actor=team.facilitator,
        participant=harmed,
        method="phone",
        channel=harmed.person.channels.filter(is_safe=True).first(),
        outcome="reached",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        minutes=25,
        notes="Explained what restorative justice is; would like time to think.",
    )
    return case


def _to_assessment(case: Case, team: Team) -> Case:
    today = timezone.localdate()
    sheet = _sheet(case)
    for participant in _key(case):
        information_give(
            actor=team.facilitator,
            participant=participant,
            sheet=sheet,
            method="in_person",
            given_on=today,
            legal_advice_offered=True,
            interpreter_offered=False,
        )
        if participant.role == "responsible":
            acknowledgment_record(
                actor=team.facilitator,
                participant=participant,
                acknowledged_on=today,
                method="police_record",
            )
    return _move(case, "assessment", team.coordinator, "Assess both people")


def _assess(case: Case, team: Team, spec: DemoCase) -> None:
    template = current_assessment_template(case.programme)
    if template is None:
        raise CommandError("The demo programme has no assessment template.")
    answers = {question["key"]: spec.answers_level for question in template.questions}
    for participant in _key(case):
        assessment_record(
            actor=team.facilitator,
            participant=participant,
            answers=answers,
            assessed_on=timezone.localdate(),
        )


def _to_preparation(case: Case, team: Team, spec: DemoCase) -> Case:
    _assess(case, team, spec)
    if sign_off_required(case_facts(case)):
        sign_off_record(actor=team.supervisor, case=case, notes="Specialist protocol followed.")
    return _move(case, "preparation", team.coordinator, "Prepare both people")


def _to_ready(case: Case, team: Team, spec: DemoCase) -> Case:
    case = case_update_plan(
        actor=team.coordinator,
        case=case,
        process_type=spec.process_type,
        next_action="Prepare the letters",
        next_action_due=add_working_days(timezone.localdate(), 5),
    )
    if case.is_sensitive:
        safety_plan_save(actor=team.facilitator, case=case, measures=["exit_plan", "code_word"])
    sheet = _sheet(case)
    for participant in _key(case):
        consent_give(
            actor=team.facilitator,
            participant=participant,
            scope="take_part",
            process_type=spec.process_type,
            sheet=sheet,
            method="verbal",
            witness="Femi Okafor's co-worker",
        )
    return _move(case, "ready", team.coordinator, "Relay the first letter")


def _sheet(case: Case) -> InformationSheet:
    sheet = current_information_sheet(case.programme, "en")
    if sheet is None:
        raise CommandError("The demo programme has no information sheet in English.")
    return sheet


def _decline_one(programme: Programme, team: Team) -> Case:
    """A referral screening declined: the referrer sees it returned with this reason."""
    case = _create(
        programme,
        team,
        DemoCase(
            "property",
            ("Alex", "Turner", "+44 7700 900115"),
            ("Sam", "Reid", "+44 7700 900116"),
            "Graffiti on a garden wall; nobody has been identified.",
            "screening",
            by_referrer=True,
        ),
    )
    referral_decide(
        actor=team.coordinator,
        case=case,
        decline=True,
        reason_for_referrer=(
            "Nobody has been identified as responsible yet. Please refer again if the "
            "investigation finds who did it."
        ),
    )
    case.refresh_from_db()
    return case
