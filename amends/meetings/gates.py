"""The safeguards a meeting must meet, as pure functions over the case's facts and the
meeting being planned (DESIGN §3; CONVENTIONS "The workflow").

A joint meeting (any kind but preparation) may be scheduled only when G2–G10 hold for the
people who will be in the room. Rules about a person (acknowledgment, consent, assessment,
withdrawal, a safe channel) are the case gates restricted to the participants attending;
rules about the case (sign-off, facilitators, the safety plan) are the case gates as they
are. Two rules are the meeting's own: G7 checks this meeting's arrival and departure
times and waiting areas, and G8 whether the people meeting face to face may do so.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.cases.gates import (
    DOMESTIC_ABUSE,
    GATES,
    CaseFacts,
    Gate,
    GateResult,
    ParticipantFacts,
    g7_safety_plan,
)
from amends.programmes.models import Modality as PermittedModality
from amends.programmes.models import ProcessType

PREPARATION = "preparation"
IN_PERSON = "in_person"
HARMED = "harmed"
RESPONSIBLE = "responsible"

# The process a meeting of each kind is part of (G3: consent is to a process type).
# Review and follow-up meetings belong to whatever process the case runs.
KIND_PROCESS: dict[str, str] = {
    "victim_offender": ProcessType.VICTIM_OFFENDER_MEETING,
    "conference": ProcessType.CONFERENCE,
    "circle": ProcessType.CIRCLE,
    "panel": ProcessType.REPARATION_PANEL,
    "cosa": ProcessType.CIRCLE_OF_SUPPORT,
}


@dataclass(frozen=True)
class AttendeePlan:
    """One person invited, as the gates see them: a participant (with their role) or a
    member of staff (participant_id None), with their own arrival and departure."""

    participant_id: int | None
    user_id: int | None
    role: str
    label: str
    arrives_at: datetime.datetime
    leaves_at: datetime.datetime


@dataclass(frozen=True)
class MeetingPlan:
    kind: str
    modality: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    attendees: tuple[AttendeePlan, ...]
    venue_has_separate_waiting: bool
    separate_waiting_booked: bool
    stagger_minutes: int

    @property
    def participant_ids(self) -> frozenset[int]:
        return frozenset(a.participant_id for a in self.attendees if a.participant_id)

    def attending(self, role: str) -> list[AttendeePlan]:
        return [attendee for attendee in self.attendees if attendee.role == role]

    @property
    def brings_parties_together(self) -> bool:
        """A person harmed and a person responsible in the same meeting: a direct meeting."""
        return bool(self.attending(HARMED)) and bool(self.attending(RESPONSIBLE))


def process_of(kind: str, case_process_type: str) -> str:
    return KIND_PROCESS.get(kind, case_process_type)


def attending_facts(facts: CaseFacts, plan: MeetingPlan) -> CaseFacts:
    """The case's facts with only the participants who attend, and the meeting's process
    as the process consented to."""
    present = plan.participant_ids
    return dataclasses.replace(
        facts,
        participants=tuple(person for person in facts.participants if person.pk in present),
        process_type=process_of(plan.kind, facts.process_type),
    )


def g7_meeting(facts: CaseFacts, plan: MeetingPlan) -> list[str]:
    """G7 for this meeting: the case's safety plan as the case gate asks (a direct meeting
    counts as a victim–offender meeting there), and, when the parties meet in a
    domestic-abuse case, their own arrivals and departures apart by the programme's
    minimum and, in person, separate waiting areas at the venue, booked."""
    direct = plan.brings_parties_together
    process = ProcessType.VICTIM_OFFENDER_MEETING if direct else process_of(plan.kind, "")
    reasons = g7_safety_plan(dataclasses.replace(facts, process_type=process))
    if not direct or DOMESTIC_ABUSE not in facts.category_codes:
        return reasons
    gap = datetime.timedelta(minutes=plan.stagger_minutes)
    for harmed in plan.attending(HARMED):
        for responsible in plan.attending(RESPONSIBLE):
            values = {
                "first": harmed.label,
                "second": responsible.label,
                "minutes": plan.stagger_minutes,
            }
            if abs(harmed.arrives_at - responsible.arrives_at) < gap:
                reasons.append(
                    _("%(first)s and %(second)s must arrive at least %(minutes)d minutes apart.")
                    % values
                )
            if abs(harmed.leaves_at - responsible.leaves_at) < gap:
                reasons.append(
                    _("%(first)s and %(second)s must leave at least %(minutes)d minutes apart.")
                    % values
                )
    if plan.modality == IN_PERSON:
        if not plan.venue_has_separate_waiting:
            reasons.append(_("The venue has no separate waiting areas; choose one that has them."))
        elif not plan.separate_waiting_booked:
            reasons.append(_("Book the venue's separate waiting areas for this meeting."))
    return reasons


def g8_meeting(facts: CaseFacts, plan: MeetingPlan) -> list[str]:
    """G8 for this meeting: each party attending has an assessment that permits a
    process, and where the parties meet, one that permits meeting directly."""
    attending = attending_facts(facts, plan)
    reasons = []
    process = KIND_PROCESS.get(plan.kind)
    if process is not None and process not in facts.offered_process_types:
        reasons.append(
            _("The programme does not offer the %(process)s.")
            % {"process": ProcessType(process).label}
        )
    direct = plan.brings_parties_together
    for person in attending.key_participants:
        reasons.extend(_modality_problems(person, direct=direct))
    return reasons


def _modality_problems(person: ParticipantFacts, *, direct: bool) -> list[str]:
    values = {"person": person.label}
    if person.assessment is None:
        return [_("%(person)s has no assessment to permit a meeting.") % values]
    if person.assessment.permitted_modality == PermittedModality.NONE:
        return [_("%(person)s's assessment does not permit any restorative process.") % values]
    if direct and person.assessment.permitted_modality != PermittedModality.DIRECT:
        return [
            _("%(person)s's assessment permits only indirect forms, not meeting the other party.")
            % values
        ]
    return []


def _needs_the_plan(facts: CaseFacts) -> list[str]:
    raise TypeError("this gate needs the meeting's plan: use joint_meeting_results")


# The meeting's own G7 and G8 read the plan as well as the facts; their titles name them
# on the checklist, and their results come from g7_meeting and g8_meeting.
G7_MEETING = Gate("G7", gettext_lazy("Safety plan and arrangements"), _needs_the_plan)
G8_MEETING = Gate("G8", gettext_lazy("Meeting permitted"), _needs_the_plan)
# Rules about each person, checked for the participants attending only.
PER_PERSON = ("G2", "G3", "G4", "G9", "G10")
# Rules about the case as a whole.
PER_CASE = ("G5", "G6")


def joint_meeting_results(facts: CaseFacts, plan: MeetingPlan) -> list[GateResult]:
    """The checklist of a joint meeting, in gate order (what the page shows and what the
    service refuses with)."""
    attending = attending_facts(facts, plan)
    results = {code: GateResult(GATES[code], GATES[code].check(attending)) for code in PER_PERSON}
    results.update({code: GateResult(GATES[code], GATES[code].check(facts)) for code in PER_CASE})
    results["G7"] = GateResult(G7_MEETING, g7_meeting(facts, plan))
    results["G8"] = GateResult(G8_MEETING, g8_meeting(facts, plan))
    order = ("G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10")
    return [results[code] for code in order]


def preparation_results(facts: CaseFacts, plan: MeetingPlan) -> list[GateResult]:
    """A preparation meeting sees one participant: only their withdrawal (G9) stops it."""
    attending = attending_facts(facts, plan)
    return [GateResult(GATES["G9"], GATES["G9"].check(attending))]


def meeting_results(facts: CaseFacts, plan: MeetingPlan) -> list[GateResult]:
    if plan.kind == PREPARATION:
        return preparation_results(facts, plan)
    return joint_meeting_results(facts, plan)
