"""Referrals and cases from intake to closure, with everything that happens on the way:
participants (encrypted, blind-indexed people and contact channels), stage changes,
facilitator assignments, contacts, information, acknowledgments, assessments and
sign-offs, consent, safety plans, meetings with attendees and session records,
agreements and their items, tasks, support referrals, and the audit events of it all.

Each case gets a life: a final stage (most cases closed, the open ones spread over every
stage and paused), and dated steps from the referral to that stage. Every row below is
dated inside that life, so the history reads in order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from amends.accounts.roles import Role
from amends.agreements.models import (
    Agreement,
    AgreementItem,
    ApologyForm,
    ItemKind,
    ItemStatus,
    Payment,
    PaymentReceiver,
    WorkLog,
)
from amends.assessments.models import Assessment, RiskLevel, SignOff
from amends.audit.actions import Action
from amends.cases.models import (
    REFERENCE_ALPHABET,
    Acknowledgment,
    AcknowledgmentMethod,
    Case,
    ContactLog,
    ContactMethod,
    ContactOutcome,
    FacilitatorAssignment,
    InformationGiven,
    Participant,
    ParticipantRole,
    StageChange,
)
from amends.cases.stages import CaseStage, ClosureReason, PauseReason
from amends.consent.models import ConsentEntry, ConsentMethod, ConsentScope
from amends.core.management.datagen import names
from amends.core.management.datagen.context import Context, ProgrammeInfo
from amends.core.management.datagen.writer import Row
from amends.crypto.blind_index import (
    BlindIndexKind,
    blind_index,
    blind_index_name_and_birth_date,
)
from amends.exchanges.models import RoundMethod, ShuttleRound
from amends.meetings.models import (
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Modality,
    ReminderSent,
    SessionOutcome,
    SessionRecord,
)
from amends.people.models import ContactChannel, Person
from amends.programmes import defaults
from amends.programmes.models import Modality as PermittedModality
from amends.programmes.models import ProcessType
from amends.referrals.models import Decision, JusticeStage, Offence, Referral, SourceType, Urgency
from amends.safety.models import SafetyMeasure, SafetyPlan
from amends.support.models import ReferralEvent, ReferralStatus, SupportReferral
from amends.tasks.models import Task, TaskKind

# Cases per chunk: at most 500, and at least eight chunks for small runs, so even the
# tests' datasets are shared between processes.
CHUNK = 500
PATH = (
    CaseStage.REFERRED,
    CaseStage.SCREENING,
    CaseStage.CONTACT,
    CaseStage.ASSESSMENT,
    CaseStage.PREPARATION,
    CaseStage.READY,
    CaseStage.PROCESS,
    CaseStage.AGREEMENT,
    CaseStage.FOLLOW_UP,
)
# Days spent in each stage (low, high).
DWELL: dict[str, tuple[int, int]] = {
    CaseStage.REFERRED: (0, 4),
    CaseStage.SCREENING: (2, 20),
    CaseStage.CONTACT: (7, 60),
    CaseStage.ASSESSMENT: (7, 45),
    CaseStage.PREPARATION: (7, 60),
    CaseStage.READY: (2, 30),
    CaseStage.PROCESS: (1, 40),
    CaseStage.AGREEMENT: (30, 150),
    CaseStage.FOLLOW_UP: (14, 100),
}
OPEN_WEIGHTS: dict[str, int] = {
    CaseStage.REFERRED: 5,
    CaseStage.SCREENING: 8,
    CaseStage.CONTACT: 14,
    CaseStage.ASSESSMENT: 14,
    CaseStage.PREPARATION: 12,
    CaseStage.READY: 6,
    CaseStage.PROCESS: 8,
    CaseStage.AGREEMENT: 10,
    CaseStage.FOLLOW_UP: 10,
    CaseStage.PAUSED: 6,
}
# (closure reason, weight, the last stage before closing)
CLOSURES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (ClosureReason.RETURNED_TO_REFERRER, 8, (CaseStage.SCREENING,)),
    (ClosureReason.NO_CONTACT, 10, (CaseStage.CONTACT,)),
    (ClosureReason.NOT_SUITABLE, 10, (CaseStage.ASSESSMENT,)),
    (
        ClosureReason.WITHDRAWN_BY_HARMED,
        9,
        (CaseStage.CONTACT, CaseStage.ASSESSMENT, CaseStage.PREPARATION),
    ),
    (
        ClosureReason.WITHDRAWN_BY_RESPONSIBLE,
        7,
        (CaseStage.CONTACT, CaseStage.ASSESSMENT, CaseStage.READY),
    ),
    (ClosureReason.COMPLETED_WITH_AGREEMENT, 38, (CaseStage.FOLLOW_UP,)),
    (ClosureReason.COMPLETED_WITHOUT_AGREEMENT, 15, (CaseStage.FOLLOW_UP,)),
    (ClosureReason.OTHER, 3, (CaseStage.CONTACT, CaseStage.PREPARATION, CaseStage.PROCESS)),
)
PROCESS_WEIGHTS: dict[str, int] = {
    ProcessType.VICTIM_OFFENDER_MEETING: 30,
    ProcessType.CONFERENCE: 15,
    ProcessType.CIRCLE: 5,
    ProcessType.SHUTTLE_MEDIATION: 20,
    ProcessType.LETTER_EXCHANGE: 15,
    ProcessType.SURROGATE_DIALOGUE: 3,
    ProcessType.REPARATION_PANEL: 5,
    ProcessType.CIRCLE_OF_SUPPORT: 2,
    ProcessType.POLICE_CONVERSATION: 5,
}
JOINT_KIND: dict[str, str] = {
    ProcessType.VICTIM_OFFENDER_MEETING: MeetingKind.VICTIM_OFFENDER,
    ProcessType.CONFERENCE: MeetingKind.CONFERENCE,
    ProcessType.CIRCLE: MeetingKind.CIRCLE,
    ProcessType.REPARATION_PANEL: MeetingKind.REPARATION_PANEL,
    ProcessType.CIRCLE_OF_SUPPORT: MeetingKind.CIRCLE_OF_SUPPORT,
    ProcessType.POLICE_CONVERSATION: MeetingKind.VICTIM_OFFENDER,
}
NEXT_ACTIONS: dict[str, str] = {
    CaseStage.REFERRED: "Screen the referral",
    CaseStage.SCREENING: "Decide eligibility",
    CaseStage.CONTACT: "Call the person harmed",
    CaseStage.ASSESSMENT: "Complete the risk assessments",
    CaseStage.PREPARATION: "Hold the preparation meetings",
    CaseStage.READY: "Agree a date for the meeting",
    CaseStage.PROCESS: "Record how the meeting went",
    CaseStage.AGREEMENT: "Check the agreement items are on track",
    CaseStage.FOLLOW_UP: "Follow-up call",
    CaseStage.PAUSED: "Review whether the case can resume",
}
_AGENCIES: dict[str, str] = {
    SourceType.POLICE: "Constabulary",
    SourceType.COURT: "Magistrates' Court",
    SourceType.PROBATION: "Probation Service",
    SourceType.VICTIM_SERVICE: "Victim Support",
    SourceType.SCHOOL: "Academy",
    SourceType.SELF: "",
    SourceType.OTHER: "Housing Association",
}
DECLINE_REASONS = (
    "The programme cannot take this referral: the person responsible does not accept "
    "the basic facts.",
    "The offence is outside what the programme can work with.",
    "The people involved live outside the programme's area.",
    "The person harmed did not want to be contacted.",
)


@dataclass
class Life:
    """The planned life of one case: the stages it went through and when."""

    stages: list[tuple[str, datetime.datetime]]
    final: str
    closure: str = ""
    paused_from: str = ""
    pause_reason: str = ""
    closed_at: datetime.datetime | None = None
    long: bool = False

    def reached(self, stage: str) -> datetime.datetime | None:
        for name, moment in self.stages:
            if name == stage:
                return moment
        return None


@dataclass
class CaseBuild:
    ctx: Context
    rng: random.Random
    info: ProgrammeInfo
    case_id: int
    life: Life
    coordinator: int
    facilitators: list[int] = field(default_factory=list)
    harmed: list[tuple[int, int]] = field(default_factory=list)  # (participant, person)
    responsible: list[tuple[int, int]] = field(default_factory=list)
    others: list[tuple[int, int]] = field(default_factory=list)
    channels: dict[int, list[int]] = field(default_factory=dict)  # person → channel ids
    events: int = 0

    def clamp(self, moment: datetime.datetime) -> datetime.datetime:
        """Nothing after the case closed, nothing in the future."""
        end = self.life.closed_at or self.ctx.now
        return min(moment, end - datetime.timedelta(minutes=1))

    def audit(
        self,
        moment: datetime.datetime,
        actor: int | None,
        action: Action,
        target_type: str,
        target_id: int,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.ctx.sink.add(moment, actor, action, target_type, target_id, self.info.id, data)
        self.events += 1


def _police_reference(rng: random.Random, moment: datetime.datetime) -> str:
    return f"{rng.randint(10, 99)}/{rng.randint(10000, 99999)}/{moment.year % 100:02d}"


def _at(rng: random.Random, low: datetime.datetime, high: datetime.datetime) -> datetime.datetime:
    span = max(60, int((high - low).total_seconds()))
    return low + datetime.timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6))


def _days(rng: random.Random, stage: str, long: bool) -> float:
    low, high = DWELL[stage]
    days = rng.uniform(low, high) + rng.random()
    return days * rng.uniform(5, 10) if long else days


def plan_lives(ctx: Context) -> list[tuple[str, str, str]]:
    """For each case in order: (final stage, closure reason, paused-from stage)."""
    rng = ctx.rng("plan")
    total = ctx.size.cases
    open_count = max(len(OPEN_WEIGHTS) * 2, round(total * 0.08))
    stages = list(OPEN_WEIGHTS)
    open_finals = stages + rng.choices(
        stages, weights=list(OPEN_WEIGHTS.values()), k=open_count - len(stages)
    )
    closure_weights = [weight for _, weight, _ in CLOSURES]
    plans: list[tuple[str, str, str]] = []
    for _ in range(total - open_count):
        reason, _, lasts = rng.choices(CLOSURES, weights=closure_weights)[0]
        plans.append((CaseStage.CLOSED, reason, rng.choice(lasts)))
    rng.shuffle(open_finals)
    for final in open_finals:
        paused_from = ""
        if final == CaseStage.PAUSED:
            paused_from = rng.choice(PATH[2:8])
        plans.append((final, "", paused_from))
    return plans


def _life(
    ctx: Context, rng: random.Random, index: int, plan: tuple[str, str, str], long: bool
) -> Life:
    final, closure, last = plan
    total = ctx.size.cases
    now, start = ctx.now, ctx.start
    end_stage = last if final == CaseStage.CLOSED or final == CaseStage.PAUSED else final
    path: list[str] = []
    for step in PATH:
        if step == CaseStage.AGREEMENT and closure == ClosureReason.COMPLETED_WITHOUT_AGREEMENT:
            continue
        path.append(step)
        if step == end_stage:
            break
    dwell = [_days(rng, step, long) for step in path]
    if final == CaseStage.CLOSED:
        # Closed cases start anywhere in the ten years (more of them in later years) and
        # end before today.
        fraction = (index / total) ** 0.7
        begin = start + (now - start) * fraction * 0.97
        length = sum(dwell)
        room = (now - begin).total_seconds() / 86_400 - 2
        if length > room:
            dwell = [d * room / length for d in dwell]
    else:
        # Open cases are recent: they started as long ago as their stages took, plus some
        # of the current stage.
        spent = sum(dwell[:-1]) + dwell[-1] * rng.random()
        if final == CaseStage.PAUSED:
            spent += rng.uniform(3, 90)
        spent = min(spent, (now - start).days - 1)
        begin = now - datetime.timedelta(days=spent)
    moments: list[tuple[str, datetime.datetime]] = []
    moment = begin.replace(hour=rng.randint(8, 17)) if final == CaseStage.CLOSED else begin
    for stage, days in zip(path, dwell, strict=True):
        moments.append((stage, moment))
        moment = moment + datetime.timedelta(days=days)
    life = Life(stages=moments, final=final, closure=closure, long=long)
    if final == CaseStage.PAUSED:
        life.paused_from = last
        life.pause_reason = rng.choice(PauseReason.values)
        paused_at = min(moment, now - datetime.timedelta(days=1))
        paused_at = max(paused_at, moments[-1][1] + datetime.timedelta(hours=1))
        life.stages.append((CaseStage.PAUSED, paused_at))
    if final == CaseStage.CLOSED:
        closed_at = min(moment, now - datetime.timedelta(hours=12))
        closed_at = max(closed_at, moments[-1][1] + datetime.timedelta(hours=1))
        life.closed_at = closed_at
        life.stages.append((CaseStage.CLOSED, closed_at))
    # Nothing may lie in the future.
    life.stages = [
        (stage, min(at, now - datetime.timedelta(minutes=5))) for stage, at in life.stages
    ]
    return life


# Case references: the case's index scrambled by a bijection of [0, 32**8), so every
# case gets its own, whichever process makes it, without a shared set of used ones.
_REFERENCE_SPACE = len(REFERENCE_ALPHABET) ** 8
_REFERENCE_MULTIPLIER = 0x9E3779B97F4A7C15 % _REFERENCE_SPACE | 1  # odd: a bijection mod 2**40
BENCH_OPEN_CASES = 22


class CaseMaker:
    """Makes cases chunk by chunk. A chunk is `chunk_size` consecutive cases of the plan with
    its own random source (seeded by the chunk's number), so the data do not depend on
    how many processes share the work or in which order they finish."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.plans = plan_lives(ctx)
        self.chunk_size = min(CHUNK, max(10, len(self.plans) // 8))
        self.rng = ctx.rng("cases")
        weights = [p.weight for p in ctx.programmes]
        self.programme_weights = weights
        self.bench_facilitator = next(
            (b.user_id for b in ctx.bench if b.role == Role.FACILITATOR), None
        )
        self.bench_open = 0
        self.bench_target = 0
        # The open cases are the last of the plan: the bench facilitator's share of them
        # (in the biggest programme) is spread over the chunks that hold them.
        first_open = next(
            (i for i, plan in enumerate(self.plans) if plan[0] != CaseStage.CLOSED),
            len(self.plans),
        )
        self.open_chunks = range(first_open // self.chunk_size, self.chunks)
        salt = random.Random(f"{ctx.seed}:references").randrange(_REFERENCE_SPACE)  # noqa: S311
        self.reference_salt = salt

    @property
    def chunks(self) -> int:
        return -(-len(self.plans) // self.chunk_size)

    def reference(self, index: int) -> str:
        number = (index * _REFERENCE_MULTIPLIER + self.reference_salt) % _REFERENCE_SPACE
        digits = []
        for _ in range(8):
            number, digit = divmod(number, len(REFERENCE_ALPHABET))
            digits.append(REFERENCE_ALPHABET[digit])
        return f"C-{''.join(digits[:4])}-{''.join(digits[4:])}"

    def make_chunk(self, number: int) -> int:
        """Make chunk `number`'s cases into `ctx.writer` and `ctx.sink`; returns how many."""
        self.rng = self.ctx.rng(f"cases:{number}")
        self.bench_open = 0
        if number in self.open_chunks:
            share, extra = divmod(BENCH_OPEN_CASES, len(self.open_chunks))
            self.bench_target = share + (number - self.open_chunks.start < extra)
        else:
            self.bench_target = 0
        first = number * self.chunk_size
        plans = self.plans[first : first + self.chunk_size]
        for offset, plan in enumerate(plans):
            self.case(first + offset, plan)
        return len(plans)

    # --- one case -------------------------------------------------------------------------

    def case(self, index: int, plan: tuple[str, str, str]) -> None:
        ctx, rng, w = self.ctx, self.rng, self.ctx.writer
        info = rng.choices(ctx.programmes, weights=self.programme_weights)[0]
        long = rng.random() < 0.003
        life = _life(ctx, rng, index, plan, long)
        opened = life.stages[0][1]
        coordinator = rng.choices(info.roles[Role.COORDINATOR], weights=info.coordinator_weights)[0]
        # Referrals that never became a case come before this one (20–30% become cases).
        for _ in range(rng.choice((2, 2, 3, 3))):
            self.declined_referral(info, opened - datetime.timedelta(days=rng.uniform(0, 20)))
        build = CaseBuild(ctx, rng, info, 0, life, coordinator)
        category = rng.choices(
            info.categories, weights=[6 if not c[2] else 1 for c in info.categories]
        )[0]
        sensitive = category[2]
        referral, referrer = self.referral(build, opened, category, life)
        is_paused = life.final == CaseStage.PAUSED
        is_closed = life.final == CaseStage.CLOSED
        current = (
            life.paused_from if is_paused else (life.stages[-2][0] if is_closed else life.final)
        )
        reached_prep = life.reached(CaseStage.PREPARATION) is not None
        process_type = (
            rng.choices(list(PROCESS_WEIGHTS), weights=list(PROCESS_WEIGHTS.values()))[0]
            if reached_prep
            else ""
        )
        today = ctx.now.date()
        if not is_closed:
            due = today + datetime.timedelta(
                days=rng.randint(-30, 40) if rng.random() < 0.25 else rng.randint(0, 40)
            )
            next_action, next_due = NEXT_ACTIONS[life.final], due
        else:
            next_action, next_due = "", None
        closed_at = life.closed_at
        last_change = life.stages[-1][1]
        case = w.new(
            Case,
            programme_id=info.id,
            referral_id=referral,
            reference=self.reference(index),
            stage=life.final,
            paused_from=life.paused_from,
            pause_reason=life.pause_reason,
            coordinator_id=coordinator,
            process_type=process_type,
            is_sensitive=sensitive,
            region=rng.choice(info.regions),
            next_action=next_action,
            next_action_due=next_due,
            closure_reason=life.closure,
            closure_note=names.note(rng, 6, 25) if is_closed and rng.random() < 0.6 else "",
            closed_at=closed_at,
            created_at=opened,
            updated_at=last_change,
        )
        build.case_id = case.pk
        build.audit(
            opened,
            referrer,
            Action.CASE_OPENED,
            "cases.case",
            case.pk,
            {"referral": referral, "sensitive": sensitive},
        )
        previous = ""
        for stage, moment in life.stages:
            reason = ""
            if stage == CaseStage.PAUSED:
                reason = life.pause_reason
            elif stage == CaseStage.CLOSED:
                reason = life.closure
            w.new(
                StageChange,
                case_id=case.pk,
                from_stage=previous,
                to_stage=stage,
                actor_id=None if stage == CaseStage.REFERRED else coordinator,
                reason=reason,
                note=names.note(rng, 4, 16) if reason and rng.random() < 0.5 else "",
                created_at=moment,
            )
            if stage != CaseStage.REFERRED:
                actions: dict[str, Action] = {
                    CaseStage.PAUSED: Action.CASE_PAUSED,
                    CaseStage.CLOSED: Action.CASE_CLOSED,
                }
                action = actions.get(stage, Action.CASE_MOVED)
                build.audit(
                    moment,
                    coordinator,
                    action,
                    "cases.case",
                    case.pk,
                    {"from": previous, "to": stage, "reason": reason},
                )
            previous = stage
        self.participants(build, opened, long)
        contact_at = life.reached(CaseStage.CONTACT)
        if contact_at is not None:
            self.assign(build, contact_at, open_case=not is_closed)
            self.contact(build, contact_at)
        assessment_at = life.reached(CaseStage.ASSESSMENT)
        if assessment_at is not None:
            self.assess(build, assessment_at, done=reached_prep, sensitive=sensitive)
        if reached_prep:
            prep_at = life.reached(CaseStage.PREPARATION) or opened
            self.consent(
                build,
                prep_at,
                process_type,
                withdrawn=life.closure.startswith("withdrawn")
                or life.pause_reason == PauseReason.CONSENT_WITHDRAWN,
            )
            if sensitive:
                plan_at = build.clamp(prep_at + datetime.timedelta(days=rng.uniform(1, 5)))
                safety = w.new(
                    SafetyPlan,
                    case_id=case.pk,
                    measures=rng.sample(SafetyMeasure.values, rng.randint(2, 5)),
                    notes=names.note(rng, 8, 30),
                    updated_by_id=coordinator,
                    created_at=plan_at,
                    updated_at=plan_at,
                )
                build.audit(
                    plan_at, coordinator, Action.SAFETY_PLAN_SAVED, "safety.safetyplan", safety.pk
                )
            self.meetings(build, process_type, current)
        agreement_at = life.reached(CaseStage.AGREEMENT)
        if agreement_at is not None:
            self.agreements(build, agreement_at, current == CaseStage.AGREEMENT and not is_closed)
        follow_at = life.reached(CaseStage.FOLLOW_UP)
        if follow_at is not None and build.harmed and rng.random() < 0.25:
            self.support(build, follow_at)
        self.tasks(build, current, is_closed)
        # Everyday reading of the case: views by the people working on it.
        target = rng.randint(6, 14) * (6 if long else 1)
        end = closed_at or ctx.now - datetime.timedelta(minutes=1)
        readers = [coordinator, *build.facilitators]
        while build.events < target:
            build.audit(
                _at(rng, opened, end),
                rng.choice(readers),
                Action.CASE_VIEWED,
                "cases.case",
                case.pk,
            )

    def declined_referral(self, info: ProgrammeInfo, moment: datetime.datetime) -> None:
        ctx, rng, w = self.ctx, self.rng, self.ctx.writer
        moment = max(moment, info.created_at + datetime.timedelta(days=1))
        source = rng.choice(SourceType.values)
        referrers = info.roles.get(Role.REFERRER, [])
        submitted = rng.choice(referrers) if referrers and source != SourceType.SELF else None
        coordinator = rng.choices(info.roles[Role.COORDINATOR], weights=info.coordinator_weights)[0]
        decided = moment + datetime.timedelta(days=rng.uniform(1, 10))
        pending = decided > ctx.now - datetime.timedelta(days=1)
        referral = w.new(
            Referral,
            programme_id=info.id,
            source_type=source,
            agency=f"{rng.choice(info.regions)} {_AGENCIES[source]}".strip()
            if _AGENCIES[source]
            else "",
            referrer_name="",
            referrer_contact=f"+44 7700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.5 else "",
            submitted_by_id=submitted,
            initial_account=names.note(rng, 10, 40),
            urgency=Urgency.URGENT if rng.random() < 0.1 else Urgency.ROUTINE,
            crime_reported_on=(moment - datetime.timedelta(days=rng.randint(5, 200))).date(),
            decision=Decision.PENDING if pending else Decision.DECLINED,
            decision_reasons=[] if pending else ["Not eligible under the policy."],
            decision_policy_id=None if pending else info.policy_id,
            decided_by_id=None if pending else coordinator,
            decided_at=None if pending else decided,
            reason_for_referrer="" if pending else rng.choice(DECLINE_REASONS),
            created_at=moment,
            updated_at=moment if pending else decided,
        )
        category = rng.choice(info.categories)
        w.new(
            Offence,
            referral_id=referral.pk,
            category_id=category[0],
            occurred_on=(moment - datetime.timedelta(days=rng.randint(10, 300))).date(),
            police_reference=_police_reference(rng, moment) if source == SourceType.POLICE else "",
            justice_stage=rng.choice(JusticeStage.values),
            created_at=moment,
            updated_at=moment,
        )
        ctx.sink.add(
            moment, submitted, Action.REFERRAL_RECEIVED, "referrals.referral", referral.pk, info.id
        )
        if not pending and rng.random() < 0.1:
            ctx.sink.add(
                decided,
                coordinator,
                Action.REFERRAL_DECIDED,
                "referrals.referral",
                referral.pk,
                info.id,
                {"decision": {"old": "pending", "new": "declined"}, "policy_version": 1},
            )

    def referral(
        self,
        build: CaseBuild,
        opened: datetime.datetime,
        category: tuple[int, str, bool, str],
        life: Life,
    ) -> tuple[int, int | None]:
        ctx, rng, w, info = self.ctx, self.rng, self.ctx.writer, build.info
        source = rng.choice(SourceType.values)
        referrers = info.roles.get(Role.REFERRER, [])
        submitted = rng.choice(referrers) if referrers and source != SourceType.SELF else None
        screening = life.reached(CaseStage.SCREENING)
        contact = life.reached(CaseStage.CONTACT)
        declined = life.closure == ClosureReason.RETURNED_TO_REFERRER
        decided_at = contact if contact is not None else (life.closed_at if declined else None)
        if decided_at is not None and screening is not None:
            decided_at = max(decided_at - datetime.timedelta(minutes=5), screening)
        decision = Decision.PENDING
        if decided_at is not None:
            decision = (
                Decision.DECLINED
                if declined
                else (Decision.ACCEPTED_SPECIALIST if category[2] else Decision.ACCEPTED)
            )
        referral = w.new(
            Referral,
            programme_id=info.id,
            source_type=source,
            agency=f"{rng.choice(info.regions)} {_AGENCIES[source]}" if _AGENCIES[source] else "",
            referrer_name="",
            referrer_contact=f"+44 7700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.5 else "",
            submitted_by_id=submitted,
            initial_account=names.note(rng, 15, 60),
            urgency=Urgency.URGENT if rng.random() < 0.1 else Urgency.ROUTINE,
            crime_reported_on=(opened - datetime.timedelta(days=rng.randint(5, 200))).date(),
            enhanced_rights=category[2] and rng.random() < 0.6,
            evidential_basis_confirmed=rng.random() < 0.8,
            decision=decision,
            decision_reasons=[] if decision == Decision.PENDING else ["Eligible under the policy."],
            decision_policy_id=None if decision == Decision.PENDING else info.policy_id,
            decided_by_id=None if decision == Decision.PENDING else build.coordinator,
            decided_at=decided_at,
            reason_for_referrer=rng.choice(DECLINE_REASONS)
            if decision == Decision.DECLINED
            else "",
            created_at=opened,
            updated_at=decided_at or opened,
        )
        w.new(
            Offence,
            referral_id=referral.pk,
            category_id=category[0],
            occurred_on=(opened - datetime.timedelta(days=rng.randint(10, 300))).date(),
            police_reference=_police_reference(rng, opened) if source == SourceType.POLICE else "",
            justice_stage=rng.choice(JusticeStage.values),
            created_at=opened,
            updated_at=opened,
        )
        ctx.sink.add(
            opened - datetime.timedelta(seconds=1),
            submitted,
            Action.REFERRAL_RECEIVED,
            "referrals.referral",
            referral.pk,
            info.id,
        )
        build.events += 1
        if decided_at is not None:
            build.audit(
                decided_at,
                build.coordinator,
                Action.REFERRAL_DECIDED,
                "referrals.referral",
                referral.pk,
                {
                    "case": build.case_id,
                    "decision": {"old": "pending", "new": decision},
                    "policy_version": 1,
                },
            )
        return referral.pk, submitted

    def person(self, build: CaseBuild, moment: datetime.datetime, adult: bool = True) -> int:
        rng, w = self.rng, self.ctx.writer
        language = names.pick_language(rng)
        woman = rng.random() < 0.5
        given = names.given_name(rng, language, woman)
        family = names.family_name(rng, language)
        born: datetime.date | None = None
        if rng.random() < 0.85:
            age = rng.randint(18, 80) if adult else rng.randint(11, 17)
            born = moment.date() - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        full = f"{given} {family}"
        person = w.new(
            Person,
            given_name=given,
            family_name=family,
            date_of_birth=born,
            pronouns=names.pronouns(rng),
            preferred_language=language.code if language.code != "en" or rng.random() < 0.5 else "",
            interpreter_needed=language.code not in ("en", "cy") and rng.random() < 0.3,
            accessibility_needs=names.accessibility_needs(rng),
            name_index=blind_index(full, BlindIndexKind.NAME),
            name_dob_index=blind_index_name_and_birth_date(full, born) if born else "",
            created_at=moment,
            updated_at=moment,
        )
        channels: list[int] = []
        if rng.random() < 0.9:
            phone = f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
            channel = w.new(
                ContactChannel,
                person_id=person.pk,
                kind=ContactChannel.Kind.PHONE,
                value=phone,
                value_index=blind_index(phone, BlindIndexKind.PHONE),
                is_safe=rng.random() < 0.9,
                safe_times="Weekdays after 6pm" if rng.random() < 0.15 else "",
                created_at=moment,
                updated_at=moment,
            )
            channels.append(channel.pk)
        if rng.random() < 0.4:
            local = (
                "".join(
                    c
                    for c in names.VOCABULARY[rng.randrange(len(names.VOCABULARY))]
                    if c.isascii() and c.isalpha()
                )
                or "mail"
            )
            email = f"{local}.{rng.randint(1, 9999)}@example.org"
            channel = w.new(
                ContactChannel,
                person_id=person.pk,
                kind=ContactChannel.Kind.EMAIL,
                value=email,
                value_index=blind_index(email, BlindIndexKind.EMAIL),
                is_safe=True,
                created_at=moment,
                updated_at=moment,
            )
            channels.append(channel.pk)
        build.channels[person.pk] = channels
        return int(person.pk)

    def participants(self, build: CaseBuild, opened: datetime.datetime, long: bool) -> None:
        rng, w = self.rng, self.ctx.writer
        advocates = build.info.roles.get(Role.ADVOCATE, [])
        roles = [ParticipantRole.HARMED] * (2 if rng.random() < 0.1 else 1)
        roles += [ParticipantRole.RESPONSIBLE] * (2 if rng.random() < 0.08 else 1)
        roles += [ParticipantRole.SUPPORTER] * rng.choice((0, 0, 1, 1, 2))
        if rng.random() < 0.1:
            roles.append(ParticipantRole.INTERPRETER)
        if long:
            extra = [
                ParticipantRole.SUPPORTER,
                ParticipantRole.COMMUNITY,
                ParticipantRole.PROFESSIONAL,
            ]
            roles += [rng.choice(extra) for _ in range(rng.randint(6, 16))]
        minor = rng.random() < 0.1
        for role in roles:
            moment = build.clamp(opened + datetime.timedelta(hours=rng.uniform(0.1, 48)))
            adult = not (minor and role == ParticipantRole.RESPONSIBLE)
            person = self.person(build, moment, adult=adult)
            participant = w.new(
                Participant,
                case_id=build.case_id,
                person_id=person,
                role=role,
                advocate_id=rng.choice(advocates)
                if role == ParticipantRole.HARMED and advocates and rng.random() < 0.2
                else None,
                preferred_facilitator_gender="woman"
                if role == ParticipantRole.HARMED and rng.random() < 0.05
                else "",
                created_at=moment,
                updated_at=moment,
            )
            build.audit(
                moment,
                build.coordinator,
                Action.PARTICIPANT_ADDED,
                "cases.participant",
                participant.pk,
                {"role": role},
            )
            target = {
                ParticipantRole.HARMED: build.harmed,
                ParticipantRole.RESPONSIBLE: build.responsible,
            }.get(role, build.others)
            target.append((participant.pk, person))
            if not adult:
                guardian_person = self.person(build, moment, adult=True)
                guardian = w.new(
                    Participant,
                    case_id=build.case_id,
                    person_id=guardian_person,
                    role=ParticipantRole.GUARDIAN,
                    guardian_for_id=participant.pk,
                    created_at=moment,
                    updated_at=moment,
                )
                build.others.append((guardian.pk, guardian_person))

    def assign(self, build: CaseBuild, moment: datetime.datetime, open_case: bool) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        pool, weights = info.roles[Role.FACILITATOR], info.facilitator_weights
        chosen = set(rng.choices(pool, weights=weights, k=2 if rng.random() < 0.3 else 1))
        bench = self.bench_facilitator
        if bench is not None and info is self.ctx.biggest:
            if open_case and self.bench_open < self.bench_target:
                chosen.add(bench)
                self.bench_open += 1
            elif not open_case and rng.random() < 0.01:
                chosen.add(bench)
        for facilitator in sorted(chosen):
            at = build.clamp(moment + datetime.timedelta(hours=rng.uniform(1, 72)))
            assignment = w.new(
                FacilitatorAssignment,
                case_id=build.case_id,
                facilitator_id=facilitator,
                assigned_by_id=build.coordinator,
                created_at=at,
                updated_at=at,
            )
            build.audit(
                at,
                build.coordinator,
                Action.FACILITATOR_ASSIGNED,
                "cases.facilitatorassignment",
                assignment.pk,
                {"facilitator": facilitator},
            )
            build.facilitators.append(facilitator)

    def actor(self, build: CaseBuild) -> int:
        return self.rng.choice(build.facilitators) if build.facilitators else build.coordinator

    def contact(self, build: CaseBuild, moment: datetime.datetime) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        for participant, person in build.harmed + build.responsible:
            channels = build.channels.get(person, [])
            for attempt in range(rng.choice((1, 1, 2, 3))):
                at = build.clamp(
                    moment
                    + datetime.timedelta(days=attempt * rng.uniform(1, 5), hours=rng.uniform(1, 8))
                )
                method = ContactMethod.PHONE if channels else ContactMethod.IN_PERSON
                outcome = rng.choice(
                    (ContactOutcome.REACHED, ContactOutcome.NO_ANSWER, ContactOutcome.MESSAGE_LEFT)
                )
                log = w.new(
                    ContactLog,
                    participant_id=participant,
                    method=method,
                    channel_id=channels[0] if channels else None,
                    outcome=outcome,
                    minutes=rng.randint(2, 45),
                    notes=names.note(rng, 5, 25) if rng.random() < 0.6 else "",
                    occurred_at=at,
                    recorded_by_id=self.actor(build),
                    created_at=at,
                )
                if outcome == ContactOutcome.REACHED:
                    build.audit(
                        at, self.actor(build), Action.CONTACT_RECORDED, "cases.contactlog", log.pk
                    )
            given_at = build.clamp(moment + datetime.timedelta(days=rng.uniform(2, 8)))
            given = w.new(
                InformationGiven,
                participant_id=participant,
                sheet_id=info.sheet_id,
                method=ContactMethod.IN_PERSON,
                legal_advice_offered=True,
                interpreter_offered=rng.random() < 0.2,
                given_on=given_at.date(),
                recorded_by_id=self.actor(build),
                created_at=given_at,
            )
            build.audit(
                given_at,
                self.actor(build),
                Action.INFORMATION_GIVEN,
                "cases.informationgiven",
                given.pk,
            )
        for participant, _person in build.responsible:
            at = build.clamp(moment + datetime.timedelta(days=rng.uniform(3, 10)))
            ack = w.new(
                Acknowledgment,
                participant_id=participant,
                acknowledged_on=at.date(),
                method=rng.choice(AcknowledgmentMethod.values),
                notes=names.note(rng, 4, 12) if rng.random() < 0.3 else "",
                recorded_by_id=self.actor(build),
                created_at=at,
            )
            build.audit(
                at,
                self.actor(build),
                Action.ACKNOWLEDGMENT_RECORDED,
                "cases.acknowledgment",
                ack.pk,
            )

    def assess(
        self, build: CaseBuild, moment: datetime.datetime, *, done: bool, sensitive: bool
    ) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        if not done and rng.random() < 0.5:
            return
        ids: dict[str, int] = {}
        high = False
        for participant, _person in build.harmed + build.responsible:
            at = build.clamp(moment + datetime.timedelta(days=rng.uniform(1, 10)))
            answers = {
                question["key"]: rng.choice((0, 0, 0, 1, 1, 2, 3))
                for question in defaults.ASSESSMENT_QUESTIONS
            }
            score = sum(
                int(question["weight"]) * answers[question["key"]]
                for question in defaults.ASSESSMENT_QUESTIONS
            )
            risk = (
                RiskLevel.HIGH
                if score >= defaults.HIGH_THRESHOLD
                else RiskLevel.MEDIUM
                if score >= defaults.MEDIUM_THRESHOLD
                else RiskLevel.LOW
            )
            high = high or risk == RiskLevel.HIGH
            assessment = w.new(
                Assessment,
                participant_id=participant,
                template_id=info.template_id,
                answers=answers,
                score=score,
                computed_risk=risk,
                risk_level=risk,
                permitted_modality=PermittedModality.DIRECT
                if risk != RiskLevel.HIGH
                else PermittedModality.INDIRECT,
                reasons=[],
                notes=names.note(rng, 10, 40),
                assessed_on=at.date(),
                valid_until=at.date() + datetime.timedelta(days=defaults.ASSESSMENT_VALIDITY_DAYS),
                assessed_by_id=self.actor(build),
                created_at=at,
                updated_at=at,
            )
            ids[str(assessment.pk)] = 1
            build.audit(
                at,
                self.actor(build),
                Action.ASSESSMENT_RECORDED,
                "assessments.assessment",
                assessment.pk,
                {"risk": risk},
            )
        supervisors = info.roles.get(Role.SUPERVISOR, [])
        if done and (sensitive or high) and supervisors and ids:
            at = build.clamp(moment + datetime.timedelta(days=rng.uniform(10, 14)))
            supervisor = rng.choice(supervisors)
            sign_off = w.new(
                SignOff, case_id=build.case_id, signed_by_id=supervisor, covered=ids, created_at=at
            )
            build.audit(
                at, supervisor, Action.SIGN_OFF_RECORDED, "assessments.signoff", sign_off.pk
            )

    def consent(
        self, build: CaseBuild, moment: datetime.datetime, process_type: str, *, withdrawn: bool
    ) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        validity = datetime.timedelta(days=defaults.CONSENT_VALIDITY_DAYS)
        for participant, _person in build.harmed + build.responsible + build.others[:2]:
            at = build.clamp(moment + datetime.timedelta(days=rng.uniform(0.5, 6)))
            for scope in (ConsentScope.DATA_PROCESSING, ConsentScope.TAKE_PART):
                entry = w.new(
                    ConsentEntry,
                    participant_id=participant,
                    scope=scope,
                    process_type=process_type if scope == ConsentScope.TAKE_PART else "",
                    is_given=True,
                    sheet_id=info.sheet_id,
                    method=rng.choice(ConsentMethod.values),
                    signature_name="",
                    witness="",
                    valid_until=(at + validity).date(),
                    note=names.note(rng, 4, 15) if rng.random() < 0.2 else "",
                    recorded_by_id=self.actor(build),
                    recorded_at=at,
                )
                if scope == ConsentScope.TAKE_PART:
                    build.audit(
                        at,
                        self.actor(build),
                        Action.CONSENT_GIVEN,
                        "consent.consententry",
                        entry.pk,
                        {"scope": scope},
                    )
        if withdrawn and build.harmed:
            participant = build.harmed[0][0]
            at = build.clamp(moment + datetime.timedelta(days=rng.uniform(7, 14)))
            entry = w.new(
                ConsentEntry,
                participant_id=participant,
                scope=ConsentScope.TAKE_PART,
                process_type=process_type,
                is_given=False,
                note=names.note(rng, 4, 15),
                recorded_by_id=self.actor(build),
                recorded_at=at,
            )
            build.audit(
                at,
                self.actor(build),
                Action.CONSENT_WITHDRAWN,
                "consent.consententry",
                entry.pk,
                {"scope": "take_part"},
            )

    def meetings(self, build: CaseBuild, process_type: str, current: str) -> None:
        rng, w, info, life = self.rng, self.ctx.writer, build.info, build.life
        prep_at = life.reached(CaseStage.PREPARATION) or life.stages[0][1]
        process_at = life.reached(CaseStage.PROCESS)
        plans: list[tuple[str, datetime.datetime, list[tuple[int, int]], bool]] = []
        for party in build.harmed[:1] + build.responsible[:1]:
            plans.append(
                (
                    MeetingKind.PREPARATION,
                    prep_at + datetime.timedelta(days=rng.uniform(2, 20)),
                    [party],
                    current != CaseStage.PREPARATION or rng.random() < 0.5,
                )
            )
        if process_type == ProcessType.SHUTTLE_MEDIATION and (
            process_at is not None or current == CaseStage.READY
        ):
            self.shuttle(
                build,
                process_at or prep_at,
                process_at is not None and current != CaseStage.PROCESS,
            )
        joint = JOINT_KIND.get(process_type)
        if joint is not None and (process_at is not None or current == CaseStage.READY):
            when = process_at or prep_at + datetime.timedelta(days=rng.uniform(20, 40))
            held = process_at is not None and current != CaseStage.PROCESS
            plans.append(
                (
                    joint,
                    when + datetime.timedelta(hours=rng.uniform(1, 48)),
                    build.harmed + build.responsible + build.others[:2],
                    held,
                )
            )
        if life.long:
            for _ in range(rng.randint(6, 14)):
                plans.append(
                    (
                        MeetingKind.REVIEW,
                        prep_at + datetime.timedelta(days=rng.uniform(20, 900)),
                        build.harmed + build.responsible,
                        True,
                    )
                )
        for kind, starts, parties, held in plans:
            if life.closed_at is not None and starts > life.closed_at - datetime.timedelta(days=1):
                # A closed case's meetings all lie before it closed.
                starts = life.closed_at - datetime.timedelta(days=rng.uniform(1, 10))
            if starts > self.ctx.now + datetime.timedelta(days=60):
                # Planned meetings are booked at most two months ahead.
                starts = self.ctx.now + datetime.timedelta(days=rng.uniform(1, 60))
            starts = starts.replace(minute=0, second=0, microsecond=0, hour=rng.randint(9, 17))
            if starts > self.ctx.now:
                held = False
            if held and starts > self.ctx.now - datetime.timedelta(hours=3):
                held = False
            scheduled = build.clamp(starts - datetime.timedelta(days=rng.uniform(3, 14)))
            modality = rng.choices(Modality.values, weights=(6, 3, 1))[0]
            ends = starts + datetime.timedelta(hours=rng.choice((1, 1.5, 2)))
            status = MeetingStatus.HELD if held else MeetingStatus.PLANNED
            if not held and starts < self.ctx.now:
                status = rng.choice(
                    (MeetingStatus.CANCELLED, MeetingStatus.NOT_ATTENDED, MeetingStatus.POSTPONED)
                )
            meeting = w.new(
                Meeting,
                case_id=build.case_id,
                kind=kind,
                modality=modality,
                status=status,
                starts_at=starts,
                ends_at=ends,
                venue_id=rng.choice(info.venue_ids) if modality == Modality.IN_PERSON else None,
                separate_waiting_booked=kind != MeetingKind.PREPARATION and rng.random() < 0.5,
                video_room=f"{rng.getrandbits(128):032x}" if modality == Modality.VIDEO else "",
                pause_plan=names.note(rng, 5, 12)
                if modality == Modality.VIDEO and rng.random() < 0.3
                else "",
                uid="",
                sequence=rng.choice((0, 0, 1, 2)),
                cancel_reason="decided" if status == MeetingStatus.CANCELLED else "",
                scheduled_by_id=build.coordinator,
                created_at=scheduled,
                updated_at=min(ends, self.ctx.now),
            )
            meeting.uid = f"meeting-{meeting.pk}@generated.amends.test"
            if status in (MeetingStatus.HELD, MeetingStatus.NOT_ATTENDED):
                for offset in (48, 2):
                    w.new(
                        ReminderSent,
                        meeting_id=meeting.pk,
                        offset_hours=offset,
                        starts_at=starts,
                        sent_at=starts - datetime.timedelta(hours=offset),
                    )
            build.audit(
                scheduled,
                build.coordinator,
                Action.MEETING_SCHEDULED,
                "meetings.meeting",
                meeting.pk,
                {"kind": kind},
            )
            for participant, _person in parties:
                w.new(
                    Attendee,
                    meeting_id=meeting.pk,
                    participant_id=participant,
                    role=AttendeeRole.PARTICIPANT,
                    arrives_at=starts,
                    leaves_at=ends,
                    attended=True if held else None,
                )
            for facilitator in build.facilitators[:2]:
                w.new(
                    Attendee,
                    meeting_id=meeting.pk,
                    user_id=facilitator,
                    role=AttendeeRole.FACILITATOR,
                    arrives_at=starts - datetime.timedelta(minutes=30),
                    leaves_at=ends,
                    attended=True if held else None,
                )
            if held:
                recorded = build.clamp(ends + datetime.timedelta(hours=rng.uniform(1, 30)))
                outcome = (
                    SessionOutcome.PREPARED
                    if kind == MeetingKind.PREPARATION
                    else rng.choice(
                        (
                            SessionOutcome.AGREEMENT,
                            SessionOutcome.NO_AGREEMENT,
                            SessionOutcome.CONTINUE,
                        )
                    )
                )
                record = w.new(
                    SessionRecord,
                    meeting_id=meeting.pk,
                    took_place=True,
                    outcome=outcome,
                    notes=names.note(rng, 20, 80),
                    recorded_by_id=self.actor(build),
                    created_at=recorded,
                    updated_at=recorded,
                )
                build.audit(
                    recorded,
                    self.actor(build),
                    Action.MEETING_RECORDED,
                    "meetings.meeting",
                    meeting.pk,
                    {"record": record.pk, "outcome": outcome},
                )

    def agreements(self, build: CaseBuild, moment: datetime.datetime, live: bool) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        for responsible, _person in build.responsible:
            made = build.clamp(moment + datetime.timedelta(hours=rng.uniform(1, 24)))
            author = self.actor(build)
            agreement = w.new(
                Agreement,
                case_id=build.case_id,
                responsible_id=responsible,
                made_on=made.date(),
                created_by_id=author,
                created_at=made,
                updated_at=made,
            )
            build.audit(
                made, author, Action.AGREEMENT_CREATED, "agreements.agreement", agreement.pk
            )
            owed = build.harmed[0][0] if build.harmed else None
            for kind in rng.sample(
                [
                    ItemKind.APOLOGY,
                    ItemKind.RESTITUTION,
                    ItemKind.WORK,
                    ItemKind.BEHAVIOUR,
                    ItemKind.PROGRAMME,
                    ItemKind.OTHER,
                ],
                rng.randint(1, 3),
            ):
                due = made.date() + datetime.timedelta(days=rng.randint(14, 120))
                status = (
                    rng.choice((ItemStatus.PENDING, ItemStatus.IN_PROGRESS))
                    if live
                    else rng.choices(
                        (ItemStatus.COMPLETED, ItemStatus.NOT_COMPLETED, ItemStatus.WAIVED),
                        weights=(8, 1, 1),
                    )[0]
                )
                values: dict[str, Any] = {}
                if kind == ItemKind.RESTITUTION:
                    loss = Decimal(rng.randint(20, 2000))
                    values = {
                        "amount": min(loss, Decimal(rng.randint(20, 2000))),
                        "documented_loss": loss,
                        "currency": "GBP",
                        "schedule": "Monthly",
                    }
                elif kind == ItemKind.WORK:
                    values = {
                        "hours_planned": Decimal(rng.randint(4, 40)),
                        "placement": "Community garden",
                    }
                elif kind == ItemKind.APOLOGY:
                    values = {"apology_form": rng.choice(ApologyForm.values)}
                elif kind == ItemKind.OTHER:
                    values = {"catalogue_item_id": rng.choice(info.catalogue_ids)}
                item = w.new(
                    AgreementItem,
                    agreement_id=agreement.pk,
                    kind=kind,
                    owed_to_id=owed,
                    terms=names.note(rng, 8, 30),
                    due_on=due,
                    status=status,
                    completed_on=due if status == ItemStatus.COMPLETED else None,
                    created_by_id=author,
                    created_at=made,
                    updated_at=made,
                    **values,
                )
                build.audit(
                    made,
                    author,
                    Action.AGREEMENT_ITEM_ADDED,
                    "agreements.agreementitem",
                    item.pk,
                    {"kind": kind},
                )
                self.ledger(build, item, made, author)

    def ledger(self, build: CaseBuild, item: Row, made: datetime.datetime, author: int) -> None:
        """Restitution payments and hours of work recorded against an item."""
        rng, w = self.rng, self.ctx.writer
        if item.kind == ItemKind.RESTITUTION and item.status != ItemStatus.PENDING:
            instalments = rng.randint(1, 4)
            share = (item.amount / instalments).quantize(Decimal("0.01"))
            for number in range(instalments):
                paid = build.clamp(made + datetime.timedelta(days=14 * (number + 1)))
                w.new(
                    Payment,
                    item_id=item.pk,
                    paid_on=paid.date(),
                    amount=max(share, Decimal("0.01")),
                    reference=f"RJ-{item.pk}-{number + 1}",
                    received_by=PaymentReceiver.PROGRAMME,
                    recorded_by_id=author,
                    created_at=paid,
                )
        elif item.kind == ItemKind.WORK and item.status != ItemStatus.PENDING:
            for number in range(rng.randint(1, 5)):
                worked = build.clamp(made + datetime.timedelta(days=7 * (number + 1)))
                verified = item.status == ItemStatus.COMPLETED
                w.new(
                    WorkLog,
                    item_id=item.pk,
                    worked_on=worked.date(),
                    hours=Decimal(rng.randint(2, 6)),
                    placement=item.placement,
                    recorded_by_id=author,
                    verified_by_id=build.coordinator if verified else None,
                    verified_at=worked if verified else None,
                    created_at=worked,
                    updated_at=worked,
                )

    def shuttle(self, build: CaseBuild, moment: datetime.datetime, held: bool) -> None:
        """Shuttle mediation: the facilitator visits each party in turn, round after round."""
        rng, w = self.rng, self.ctx.writer
        parties = build.harmed[:1] + build.responsible[:1]
        if not parties:
            return
        rounds = rng.randint(2, 5) if held else rng.randint(0, 2)
        for number in range(1, rounds + 1):
            for participant, _person in parties:
                at = build.clamp(moment + datetime.timedelta(days=number * rng.uniform(5, 12)))
                actor = self.actor(build)
                shuttle = w.new(
                    ShuttleRound,
                    case_id=build.case_id,
                    number=number,
                    held_on=at.date(),
                    facilitator_id=actor,
                    party_id=participant,
                    method=rng.choice(RoundMethod.values),
                    summary=names.note(rng, 15, 50),
                    recorded_by_id=actor,
                    created_at=at,
                )
                build.audit(
                    at, actor, Action.SHUTTLE_ROUND_RECORDED, "exchanges.shuttleround", shuttle.pk
                )

    def support(self, build: CaseBuild, moment: datetime.datetime) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        participant = build.harmed[0][0]
        at = build.clamp(moment + datetime.timedelta(days=rng.uniform(1, 10)))
        actor = self.actor(build)
        partner = rng.choice(info.partner_ids)
        consent = w.new(
            ConsentEntry,
            participant_id=participant,
            scope=ConsentScope.SHARE_INFORMATION,
            partner=info.partner_names[partner],
            is_given=True,
            sheet_id=info.sheet_id,
            method=ConsentMethod.VERBAL_WITNESSED,
            valid_until=(at + datetime.timedelta(days=180)).date(),
            recorded_by_id=actor,
            recorded_at=at,
        )
        status = rng.choice(
            (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
        )
        changed = (
            at + datetime.timedelta(days=rng.uniform(0, 20))
            if status != ReferralStatus.SENT
            else at
        )
        changed = max(build.clamp(changed), at)
        referral = w.new(
            SupportReferral,
            case_id=build.case_id,
            participant_id=participant,
            partner_id=partner,
            service_type="counselling",
            status=status,
            note=names.note(rng, 8, 25),
            consent_id=consent.pk,
            referred_by_id=actor,
            sent_on=at.date(),
            changed_on=changed.date(),
            created_at=at,
            updated_at=changed,
        )
        w.new(
            ReferralEvent,
            referral_id=referral.pk,
            status=ReferralStatus.SENT,
            happened_on=at.date(),
            recorded_by_id=actor,
            created_at=at,
        )
        build.audit(at, actor, Action.SUPPORT_REFERRAL_SENT, "support.supportreferral", referral.pk)
        if status != ReferralStatus.SENT:
            w.new(
                ReferralEvent,
                referral_id=referral.pk,
                status=status,
                happened_on=changed.date(),
                recorded_by_id=actor,
                created_at=changed,
            )

    def tasks(self, build: CaseBuild, current: str, closed: bool) -> None:
        rng, w, info = self.rng, self.ctx.writer, build.info
        now = self.ctx.now
        opened = build.life.stages[0][1]
        end = build.life.closed_at or now
        for _ in range(rng.randint(1, 3)):
            created = _at(rng, opened, end)
            due = created.date() + datetime.timedelta(days=rng.randint(2, 20))
            open_task = not closed and rng.random() < 0.5
            done_at = (
                None
                if open_task
                else min(created + datetime.timedelta(days=rng.uniform(0.5, 15)), end)
            )
            kind = rng.choice(
                (
                    TaskKind.OTHER,
                    TaskKind.FOLLOW_UP_DUE,
                    TaskKind.MEETING_RECORD_DUE,
                    TaskKind.SIGN_OFF_NEEDED,
                    TaskKind.INFORMATION_DUE,
                )
            )
            assignee = self.actor(build)
            task = w.new(
                Task,
                programme_id=info.id,
                case_id=build.case_id,
                kind=kind,
                title=str(kind.label)[:200],
                assignee_id=assignee,
                due_on=due,
                done_at=done_at,
                done_by_id=assignee if done_at else None,
                created_at=created,
                updated_at=done_at or created,
            )
            if kind == TaskKind.OTHER:
                build.audit(created, build.coordinator, Action.TASK_CREATED, "tasks.task", task.pk)
            if done_at is not None and kind == TaskKind.OTHER:
                build.audit(done_at, assignee, Action.TASK_COMPLETED, "tasks.task", task.pk)
