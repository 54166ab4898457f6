"""Every write to cases (CONVENTIONS "Services: the only writers"), in two modules:
`case` moves and plans the case; `participants` records the work with its people."""

from amends.cases.services.case import (
    GateRefused,
    case_assign_facilitator,
    case_close,
    case_open,
    case_pause,
    case_resume,
    case_set_coordinator,
    case_step_back_if_unsafe,
    case_transition,
    case_unassign_facilitator,
    case_update_plan,
    gate_results,
    resume_gate_results,
)
from amends.cases.services.participants import (
    acknowledgment_record,
    contact_problems,
    contact_record,
    information_give,
    participant_add,
    participant_add_new_person,
    participant_set_advocate,
    participant_set_facilitator_preference,
)

__all__ = [
    "GateRefused",
    "acknowledgment_record",
    "case_assign_facilitator",
    "case_close",
    "case_open",
    "case_pause",
    "case_resume",
    "case_set_coordinator",
    "case_step_back_if_unsafe",
    "case_transition",
    "case_unassign_facilitator",
    "case_update_plan",
    "contact_problems",
    "contact_record",
    "gate_results",
    "information_give",
    "participant_add",
    "participant_add_new_person",
    "participant_set_advocate",
    "participant_set_facilitator_preference",
    "resume_gate_results",
]
