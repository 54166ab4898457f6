"""Who may see and record follow-up (docs/permissions.md).

- coordinator and supervisor of the programme, and the case's assigned facilitators: every
  check-in of the case, its outcome and notes, and the survey answers; they record them;
- an advocate: the check-ins and survey status of the participant they support, never the
  notes, never the answers, never the other party;
- everyone else: nothing (the case does not exist for them).

The check-in policy's two faces sit side by side and a test checks that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rules.predicates import predicate as rules_predicate

from amends.cases.models import Case
from amends.cases.permissions import (
    advocates_participant,
    case_policy,
    is_assigned_facilitator,
    manages_programme_cases,
    participant_policy,
)
from amends.core.permissions import Policy
from amends.followups.models import CheckIn


def _advocates_check_in_participant(user: Any, obj: Any) -> bool:
    return isinstance(obj, CheckIn) and bool(advocates_participant.test(user, obj.participant))


# rules carries no type information; the function above is typed.
advocates_check_in_participant = rules_predicate(_advocates_check_in_participant)


class CheckInPolicy(Policy[CheckIn]):
    model = CheckIn
    actions = {
        "view": manages_programme_cases | is_assigned_facilitator | advocates_check_in_participant,
        "record": manages_programme_cases | is_assigned_facilitator,
    }

    def visible_to(self, user: Any) -> QuerySet[CheckIn]:
        return CheckIn.objects.filter(participant__in=participant_policy.visible_to(user))


check_in_policy = CheckInPolicy()


def may_read_answers(user: Any, case: Case) -> bool:
    """Survey answers and check-in notes are case content: for the people working on the
    case, not for an advocate."""
    return case_policy.can(user, "view", case)
