"""The safeguards of DESIGN §3 as pure functions (CONVENTIONS "The workflow").

Each gate takes the facts of a case (`CaseFacts`, gathered by `cases.selectors.case_facts`)
and returns the reasons it is not met, in words a coordinator understands; an empty list
means the gate passes. The case page renders the same lists as its checklist, and
`cases.services` refuses a move with them, so what people read and what the software
enforces cannot differ.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from amends.programmes.models import (
    DIRECT_PROCESSES,
    PROCESSES_WITHOUT_PERSON_HARMED,
    Modality,
    ProcessType,
)

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
DOMESTIC_ABUSE = "domestic-abuse"


@dataclass(frozen=True)
class AssessmentFacts:
    pk: int
    revision: int
    on_current_template: bool
    valid_until: datetime.date
    risk_level: str
    permitted_modality: str


@dataclass(frozen=True)
class ParticipantFacts:
    pk: int
    label: str
    role: str
    is_key: bool
    must_consent: bool
    is_minor: bool
    has_guardian: bool
    interpreter_needed: bool
    has_safe_channel: bool
    acknowledged: bool
    assessment: AssessmentFacts | None
    # Process types with active consent of each kind ("consent", "guardian", "assent"),
    # each given after the information sheet that is current in the person's language.
    consented: dict[str, frozenset[str]] = field(default_factory=dict)
    # Consent given on an information sheet that has since been replaced.
    consent_on_old_sheet: frozenset[str] = frozenset()
    informed: bool = False
    legal_advice_offered: bool = False
    interpreter_offered: bool = False
    withdrawn_on: datetime.date | None = None
    # Without a date of birth nobody can tell whether a guardian must consent too.
    age_known: bool = True


@dataclass(frozen=True)
class FacilitatorFacts:
    pk: int
    name: str
    problems: tuple[str, ...]
    # What G6 warns about without blocking: overdue supervision, CPD hours short, no
    # observed practice or no process this year.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    stage: str
    today: datetime.date
    process_type: str
    offered_process_types: frozenset[str]
    is_sensitive: bool
    category_codes: frozenset[str]
    fast_track_enabled: bool
    fast_track_categories: bool
    referral_decision: str
    referral_decision_policy: int | None
    evidential_basis_confirmed: bool
    participants: tuple[ParticipantFacts, ...]
    facilitators: tuple[FacilitatorFacts, ...]
    sign_off_covered: dict[str, int] | None
    sign_off_by_assigned_facilitator: bool
    safety_measures: frozenset[str] | None
    next_action: str
    next_action_due: datetime.date | None
    # After `ready`: read from the meetings, exchanges, agreements and follow-ups apps.
    process_held_on: datetime.date | None = None
    agreement_exists: bool = False
    agreement_unmet: tuple[str, ...] = ()
    agreement_open_items: int = 0
    follow_up_unmet: tuple[str, ...] = ()

    @property
    def key_participants(self) -> tuple[ParticipantFacts, ...]:
        return tuple(person for person in self.participants if person.is_key)

    @property
    def highest_risk(self) -> str | None:
        levels = [
            person.assessment.risk_level
            for person in self.key_participants
            if person.assessment is not None
        ]
        for level in (HIGH, MEDIUM, LOW):
            if level in levels:
                return level
        return None

    @property
    def involves_person_harmed(self) -> bool:
        return self.process_type not in PROCESSES_WITHOUT_PERSON_HARMED


def _process_label(process_type: str) -> str:
    return str(ProcessType(process_type).label) if process_type in ProcessType.values else ""


def g1_eligibility(facts: CaseFacts) -> list[str]:
    """G1: eligible under the policy (or its specialist protocol), evidential basis
    confirmed, decision and policy version recorded."""
    reasons = []
    if facts.referral_decision == "pending":
        reasons.append(_("Screening has not yet decided whether the referral is eligible."))
    elif facts.referral_decision == "declined":
        reasons.append(_("The referral was declined as not eligible."))
    elif facts.referral_decision_policy is None:
        reasons.append(_("The eligibility decision does not record the policy it was made under."))
    if not facts.evidential_basis_confirmed:
        reasons.append(_("The referrer has not confirmed that there is an evidential basis."))
    return reasons


def g2_acknowledgment(facts: CaseFacts) -> list[str]:
    """G2: the person responsible acknowledged the basic facts before any process that
    involves the person harmed."""
    if facts.process_type and not facts.involves_person_harmed:
        return []
    responsible = [person for person in facts.participants if person.role == "responsible"]
    if not responsible:
        return [_("The case has no person responsible yet.")]
    return [
        _("%(person)s has not acknowledged the basic facts.") % {"person": person.label}
        for person in responsible
        if not person.acknowledged
    ]


def g3_informed_consent(facts: CaseFacts) -> list[str]:
    """G3: everyone taking part has active written consent for this process type, given on
    the current information sheet in their language; minors have a guardian's consent and
    their own assent; legal advice (and an interpreter where needed) was offered."""
    if not facts.process_type:
        return [_("Choose the process type that participants are consenting to.")]
    process = _process_label(facts.process_type)
    reasons = []
    for person in facts.participants:
        if not person.must_consent:
            continue
        if person.role == "harmed" and not facts.involves_person_harmed:
            continue
        reasons.extend(_consent_problems(person, facts.process_type, process))
    return reasons


def _consent_problems(person: ParticipantFacts, process_type: str, process: str) -> list[str]:
    values = {"person": person.label, "process": process}
    reasons = []
    if not person.informed:
        reasons.append(
            _("%(person)s has not been given the current information sheet in their language.")
            % values
        )
    if not person.legal_advice_offered:
        reasons.append(_("%(person)s has not been offered legal advice.") % values)
    if person.interpreter_needed and not person.interpreter_offered:
        reasons.append(_("%(person)s needs an interpreter and has not been offered one.") % values)
    if not person.age_known:
        reasons.append(
            _(
                "Record %(person)s's date of birth: it decides whether a parent or "
                "guardian must consent too."
            )
            % values
        )
    needed = ["guardian", "assent"] if person.is_minor else ["consent"]
    for kind in needed:
        if process_type in person.consented.get(kind, frozenset()):
            continue
        if process_type in person.consent_on_old_sheet:
            reasons.append(
                _(
                    "%(person)s consented on an information sheet that has since changed; "
                    "ask again with the current one."
                )
                % values
            )
        elif kind == "guardian":
            reasons.append(
                _(
                    "%(person)s is under 18: a parent or guardian has not consented "
                    "to the %(process)s."
                )
                % values
            )
        elif kind == "assent":
            reasons.append(
                _("%(person)s is under 18 and has not given their own assent to the %(process)s.")
                % values
            )
        else:
            reasons.append(
                _("%(person)s has no active written consent to the %(process)s.") % values
            )
    if person.is_minor and not person.has_guardian:
        reasons.append(_("%(person)s is under 18 and no parent or guardian is recorded.") % values)
    return reasons


def g4_assessment(facts: CaseFacts) -> list[str]:
    """G4: each key participant has an assessment on the current template, still valid."""
    if not facts.key_participants:
        return [_("The case has no person harmed or person responsible yet.")]
    reasons = []
    for person in facts.key_participants:
        values = {"person": person.label}
        assessment = person.assessment
        if assessment is None:
            reasons.append(_("%(person)s has not been assessed.") % values)
        elif not assessment.on_current_template:
            reasons.append(
                _("%(person)s was assessed on an old template; assess them again.") % values
            )
        elif assessment.valid_until < facts.today:
            reasons.append(
                _("%(person)s's assessment expired on %(date)s.")
                % {**values, "date": assessment.valid_until.isoformat()}
            )
    return reasons


def sign_off_required(facts: CaseFacts) -> bool:
    return facts.is_sensitive or facts.highest_risk == HIGH


def current_assessment_revisions(facts: CaseFacts) -> dict[str, int]:
    return {
        str(person.assessment.pk): person.assessment.revision
        for person in facts.key_participants
        if person.assessment is not None
    }


def g5_sign_off(facts: CaseFacts) -> list[str]:
    """G5: high risk or a sensitive category needs a supervisor's sign-off of the current
    assessments, by someone other than the assigned facilitators."""
    if not sign_off_required(facts):
        return []
    why = (
        _("the offence is in a sensitive category")
        if facts.is_sensitive
        else _("an assessment found high risk")
    )
    if facts.sign_off_covered is None:
        return [_("A supervisor must sign off this case because %(why)s.") % {"why": why}]
    if facts.sign_off_covered != current_assessment_revisions(facts):
        return [
            _("An assessment changed after the supervisor's sign-off; it must be signed off again.")
        ]
    if facts.sign_off_by_assigned_facilitator:
        return [
            _(
                "The sign-off was given by a facilitator assigned to the case; another "
                "supervisor must sign off."
            )
        ]
    return []


def g6_competence(facts: CaseFacts) -> list[str]:
    """G6: at least one facilitator is assigned and each is competent for this case."""
    if not facts.facilitators:
        return [_("No facilitator is assigned.")]
    return [problem for facilitator in facts.facilitators for problem in facilitator.problems]


def g7_safety_plan(facts: CaseFacts) -> list[str]:
    """G7: a safety plan at medium risk and above and for sensitive categories; a direct
    meeting in a domestic-abuse case needs staggered times and separate waiting areas."""
    risk = facts.highest_risk
    required = facts.is_sensitive or risk in (MEDIUM, HIGH)
    if not required:
        return []
    if not facts.safety_measures:
        return [_("A safety plan with at least one measure is needed for this case.")]
    if DOMESTIC_ABUSE in facts.category_codes and facts.process_type in DIRECT_PROCESSES:
        missing = {"staggered", "separate_waiting"} - facts.safety_measures
        if missing:
            return [
                _(
                    "A direct meeting in a domestic-abuse case needs separate arrival and "
                    "departure times and separate waiting areas in the safety plan."
                )
            ]
    return []


def g8_modality(facts: CaseFacts) -> list[str]:
    """G8: the chosen process is offered and every key participant's assessment permits
    it: a direct meeting only where all permit direct contact."""
    if not facts.process_type:
        return [_("Choose the process type.")]
    process = _process_label(facts.process_type)
    if facts.process_type not in facts.offered_process_types:
        return [_("The programme does not offer the %(process)s.") % {"process": process}]
    reasons = []
    direct = facts.process_type in DIRECT_PROCESSES
    for person in facts.key_participants:
        values = {"person": person.label, "process": process}
        if person.assessment is None:
            reasons.append(_("%(person)s has no assessment to permit a process.") % values)
        elif person.assessment.permitted_modality == Modality.NONE:
            reasons.append(
                _("%(person)s's assessment does not permit any restorative process.") % values
            )
        elif direct and person.assessment.permitted_modality != Modality.DIRECT:
            reasons.append(
                _("%(person)s's assessment permits only indirect forms, not a %(process)s.")
                % values
            )
    return reasons


def g9_withdrawal(facts: CaseFacts) -> list[str]:
    """G9: nobody has withdrawn without giving fresh consent since."""
    return [
        _("%(person)s withdrew consent on %(date)s; record fresh consent before going on.")
        % {"person": person.label, "date": person.withdrawn_on.isoformat()}
        for person in facts.participants
        if person.withdrawn_on is not None
    ]


def g10_contact_safety(facts: CaseFacts) -> list[str]:
    """G10: each key participant has at least one channel marked safe to use."""
    return [
        _("No safe way to contact %(person)s is recorded.") % {"person": person.label}
        for person in facts.key_participants
        if not person.has_safe_channel
    ]


def g13_next_action(facts: CaseFacts) -> list[str]:
    """G13: the case has a next action with a due date."""
    if not facts.next_action.strip() or facts.next_action_due is None:
        return [_("Give the case a next action and the date it is due.")]
    return []


def g11_fair_agreement(facts: CaseFacts) -> list[str]:
    """G11: every agreement item has the consent of the parties it binds, and items out
    of proportion are confirmed by a supervisor (the reasons come from agreements.rules)."""
    return list(facts.agreement_unmet)


def process_held(facts: CaseFacts) -> list[str]:
    """The restorative process took place: a joint meeting was held or an indirect
    exchange relayed something."""
    if facts.process_held_on is None:
        return [
            _(
                "The process has not taken place yet: record a joint meeting as held, or "
                "relay a first item of the indirect exchange."
            )
        ]
    return []


def agreement_drafted(facts: CaseFacts) -> list[str]:
    if not facts.agreement_exists:
        return [_("No agreement has been drafted yet.")]
    return []


def agreement_kept(facts: CaseFacts) -> list[str]:
    """Follow-up starts when no agreement item is still pending or in progress."""
    if facts.agreement_open_items:
        return [
            ngettext(
                "%(count)d agreement item is still pending or in progress.",
                "%(count)d agreement items are still pending or in progress.",
                facts.agreement_open_items,
            )
            % {"count": facts.agreement_open_items}
        ]
    return []


def fast_track(facts: CaseFacts) -> list[str]:
    """The programme's fast track: only for low-level categories and low risk."""
    reasons = []
    if not facts.fast_track_enabled:
        reasons.append(_("The programme does not use a fast track."))
    if facts.is_sensitive or not facts.fast_track_categories:
        reasons.append(_("The offence is not in a category that may be fast-tracked."))
    if facts.highest_risk != LOW or any(
        person.assessment is None for person in facts.key_participants
    ):
        reasons.append(_("Only cases assessed as low risk may be fast-tracked."))
    return reasons


@dataclass(frozen=True)
class Gate:
    code: str
    title: StrOrPromise
    check: Callable[[CaseFacts], list[str]]


GATES: dict[str, Gate] = {
    gate.code: gate
    for gate in (
        Gate("G1", gettext_lazy("Eligibility"), g1_eligibility),
        Gate("G2", gettext_lazy("Acknowledgment of the basic facts"), g2_acknowledgment),
        Gate("G3", gettext_lazy("Informed consent"), g3_informed_consent),
        Gate("G4", gettext_lazy("Assessment"), g4_assessment),
        Gate("G5", gettext_lazy("Supervisor sign-off"), g5_sign_off),
        Gate("G6", gettext_lazy("Facilitator"), g6_competence),
        Gate("G7", gettext_lazy("Safety plan"), g7_safety_plan),
        Gate("G8", gettext_lazy("Process permitted"), g8_modality),
        Gate("G9", gettext_lazy("No withdrawal outstanding"), g9_withdrawal),
        Gate("G10", gettext_lazy("Safe contact"), g10_contact_safety),
        Gate("G11", gettext_lazy("Fair agreement"), g11_fair_agreement),
        Gate("G13", gettext_lazy("Next action"), g13_next_action),
        Gate("HELD", gettext_lazy("The process took place"), process_held),
        Gate("AGREED", gettext_lazy("Agreement drafted"), agreement_drafted),
        Gate("KEPT", gettext_lazy("Agreement run its course"), agreement_kept),
    )
}
FAST_TRACK = Gate("FT", gettext_lazy("Fast track"), fast_track)
# The safeguards of DESIGN §3 (G1–G13), as opposed to the milestones of the process
# (HELD, AGREED, KEPT) that only the stages after `ready` ask for.
SAFEGUARDS: tuple[str, ...] = tuple(code for code in GATES if code.startswith("G"))


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    reasons: list[str]

    @property
    def passed(self) -> bool:
        return not self.reasons


def evaluate(facts: CaseFacts, codes: tuple[str, ...]) -> list[GateResult]:
    """Each named gate with its reasons, in order (the checklist)."""
    return [GateResult(GATES[code], GATES[code].check(facts)) for code in codes]


def unmet_reasons(results: list[GateResult]) -> list[str]:
    return [reason for result in results for reason in result.reasons]
