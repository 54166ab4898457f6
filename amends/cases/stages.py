"""The case workflow as data (DESIGN §3, CONVENTIONS "The workflow").

`TRANSITIONS` lists every ordinary move with the gates it checks; pausing, resuming and
closing are their own services because they can start from any open stage. The gates a
stage needs are cumulative: entering `ready` checks everything, and resuming a paused
case checks again what its stage needs, so a pause can never be a way around a gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CaseStage(models.TextChoices):
    REFERRED = "referred", _("Referred")
    SCREENING = "screening", _("Screening")
    CONTACT = "contact", _("Contact")
    ASSESSMENT = "assessment", _("Assessment")
    PREPARATION = "preparation", _("Preparation")
    READY = "ready", _("Ready")
    PROCESS = "process", _("Process")
    AGREEMENT = "agreement", _("Agreement")
    FOLLOW_UP = "follow_up", _("Follow-up")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = frozenset(set(CaseStage) - {CaseStage.PAUSED, CaseStage.CLOSED})


class PauseReason(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    SAFETY_CONCERN = "safety_concern", _("Safety concern")
    LEGAL_HOLD = "legal_hold", _("Legal hold")
    UNAVAILABLE = "unavailable", _("Participant unavailable")


class ClosureReason(models.TextChoices):
    COMPLETED_WITH_AGREEMENT = "completed_agreement", _("Completed with an agreement")
    COMPLETED_WITHOUT_AGREEMENT = "completed_no_agreement", _("Completed without an agreement")
    WITHDRAWN_BY_HARMED = "withdrawn_harmed", _("Withdrawn by the person harmed")
    WITHDRAWN_BY_RESPONSIBLE = "withdrawn_responsible", _("Withdrawn by the person responsible")
    NOT_SUITABLE = "not_suitable", _("Not suitable")
    NO_CONTACT = "no_contact", _("No contact possible")
    RETURNED_TO_REFERRER = "returned", _("Returned to the referrer")
    OTHER = "other", _("Other")


# Gates each stage requires, cumulatively. G13 (a next action with a due date) holds for
# every open stage; it is also a database constraint.
_G = ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G13")
STAGE_GATES: dict[str, tuple[str, ...]] = {
    CaseStage.REFERRED: ("G13",),
    CaseStage.SCREENING: ("G13",),
    CaseStage.CONTACT: ("G1", "G13"),
    CaseStage.ASSESSMENT: ("G1", "G10", "G13"),
    CaseStage.PREPARATION: ("G1", "G4", "G5", "G6", "G10", "G13"),
    CaseStage.READY: _G,
    # The process runs only while everything that made the case ready still holds.
    CaseStage.PROCESS: _G,
    # After the meeting or the exchange: eligibility, withdrawal and contact safety still
    # matter; assessments and consents to the process have done their work. HELD: the
    # process took place; AGREED: an agreement was drafted; KEPT: no item still runs.
    CaseStage.AGREEMENT: ("G1", "G9", "G10", "G11", "G13", "HELD", "AGREED"),
    CaseStage.FOLLOW_UP: ("G1", "G9", "G10", "G11", "G13", "HELD", "KEPT"),
}


class MoveKind(models.TextChoices):
    FORWARD = "forward", _("Forward")
    FAST_TRACK = "fast_track", _("Fast track")
    BACK = "back", _("Back")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    kind: MoveKind
    label: StrOrPromise

    @property
    def gates(self) -> tuple[str, ...]:
        # A step back needs nothing: it only ever gives a case more checks to pass.
        return () if self.kind == MoveKind.BACK else STAGE_GATES.get(self.target, _G)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(CaseStage.REFERRED, CaseStage.SCREENING, MoveKind.FORWARD, _("Start screening")),
    Transition(
        CaseStage.SCREENING, CaseStage.CONTACT, MoveKind.FORWARD, _("Begin contacting people")
    ),
    Transition(CaseStage.CONTACT, CaseStage.ASSESSMENT, MoveKind.FORWARD, _("Move to assessment")),
    Transition(
        CaseStage.ASSESSMENT,
        CaseStage.PREPARATION,
        MoveKind.FORWARD,
        _("Move to preparation"),
    ),
    Transition(
        CaseStage.PREPARATION, CaseStage.READY, MoveKind.FORWARD, _("Mark ready for the process")
    ),
    # The programme's fast track skips the preparation stage, never a gate: entering
    # `ready` checks every gate whichever way the case comes.
    Transition(
        CaseStage.ASSESSMENT, CaseStage.READY, MoveKind.FAST_TRACK, _("Fast track to ready")
    ),
    Transition(CaseStage.READY, CaseStage.PROCESS, MoveKind.FORWARD, _("Start the process")),
    Transition(
        CaseStage.PROCESS, CaseStage.AGREEMENT, MoveKind.FORWARD, _("Monitor the agreement")
    ),
    Transition(
        CaseStage.PROCESS,
        CaseStage.FOLLOW_UP,
        MoveKind.FORWARD,
        _("Process ended without an agreement: follow up"),
    ),
    Transition(
        CaseStage.AGREEMENT, CaseStage.FOLLOW_UP, MoveKind.FORWARD, _("Agreement ended: follow up")
    ),
    Transition(CaseStage.PREPARATION, CaseStage.ASSESSMENT, MoveKind.BACK, _("Back to assessment")),
    Transition(CaseStage.READY, CaseStage.PREPARATION, MoveKind.BACK, _("Back to preparation")),
    Transition(CaseStage.PROCESS, CaseStage.READY, MoveKind.BACK, _("Back to ready")),
)

# Closing a case as completed needs the process to have taken place (and, with an
# agreement, one to exist); follow-up must be done or the closing note says why not.
COMPLETED_REASONS = frozenset(
    {ClosureReason.COMPLETED_WITH_AGREEMENT, ClosureReason.COMPLETED_WITHOUT_AGREEMENT}
)


def transition_between(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def transitions_from(source: str) -> list[Transition]:
    return [transition for transition in TRANSITIONS if transition.source == source]
