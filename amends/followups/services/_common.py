"""What the follow-up services share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.cases.models import Case
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError


def locked_open_case(case_id: int) -> Case:
    """Lock the case for the rest of the transaction (so it cannot close meanwhile) and
    refuse a closed one."""
    case = Case.objects.select_for_update().select_related("programme").get(pk=case_id)
    if case.stage == CaseStage.CLOSED:
        raise ApplicationError(_("The case is closed; nothing more can be recorded on it."))
    return case
