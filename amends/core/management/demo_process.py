"""Demo cases past `ready` for `manage.py demo`: a joint meeting held and an agreement
being kept, letters relayed and follow-up under way, a case closed as completed, and
support partners with referrals. Each app's own demo function does the work, through
the same services people use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from amends.agreements.demo import demo_agreement
from amends.cases.models import Case
from amends.cases.services import case_close, case_transition
from amends.cases.stages import ClosureReason
from amends.core.workdays import add_working_days
from amends.exchanges.demo import create_demo_exchange
from amends.followups.demo import create_demo_follow_up
from amends.meetings.demo import create_demo_meetings
from amends.programmes.models import Programme
from amends.support.demo import create_demo_partners, create_demo_referrals

if TYPE_CHECKING:  # demo_cases imports this module
    from amends.core.management.demo_cases import Team


def _move(case: Case, target: str, team: Team, action: str) -> Case:
    return case_transition(
        actor=team.coordinator,
        case=case,
        target=target,
        next_action=action,
        next_action_due=add_working_days(timezone.localdate(), 5),
    )


def meeting_to_agreement(case: Case, team: Team) -> Case:
    """A `ready` case planned as a meeting face to face: preparation meetings, the joint
    meeting held, an agreement with payments and hours, monitored."""
    case = _move(case, "process", team, "Hold the meeting")
    create_demo_meetings(case=case, coordinator=team.coordinator, facilitator=team.facilitator)
    demo_agreement(
        case=case,
        coordinator=team.coordinator,
        facilitator=team.facilitator,
        supervisor=team.supervisor,
    )
    return _move(case, "agreement", team, "Check the next restitution payment")


def letters_to_follow_up(case: Case, team: Team) -> Case:
    """A `ready` letters case: letters reviewed and relayed, no agreement, follow-up."""
    case = _move(case, "process", team, "Relay the reply")
    create_demo_exchange(case, coordinator=team.coordinator, facilitator=team.facilitator)
    case = _move(case, "follow_up", team, "Make the follow-up calls")
    create_demo_follow_up(case=case, coordinator=team.coordinator, facilitator=team.facilitator)
    case.refresh_from_db()
    return case


def letters_closed(case: Case, team: Team) -> Case:
    """A letters case completed and closed before its three-month call was due."""
    case = letters_to_follow_up(case, team)
    return case_close(
        actor=team.coordinator,
        case=case,
        reason=ClosureReason.COMPLETED_WITHOUT_AGREEMENT,
        note="Both asked not to be called again after the first follow-up.",
    )


def support_for(programme: Programme, cases: list[Case], team: Team) -> None:
    """The programme's partner directory, and referrals for the first case given."""
    partners = create_demo_partners(programme, coordinator=team.coordinator)
    if cases:
        create_demo_referrals(
            cases[0], partners, coordinator=team.coordinator, facilitator=team.facilitator
        )
