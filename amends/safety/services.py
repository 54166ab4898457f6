"""Writing a case's safety plan (G7)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.permissions import case_policy
from amends.cases.services import case_step_back_if_unsafe
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError
from amends.safety.models import SafetyMeasure, SafetyPlan


def safety_plan_save(
    *, actor: User, case: Case, measures: list[str], notes: str = ""
) -> SafetyPlan:
    """Create or replace the case's safety plan. Does nothing when nothing changed."""
    unknown = sorted(set(measures) - set(SafetyMeasure.values))
    if unknown:
        raise ApplicationError(
            _("The safety plan was not saved."),
            reasons=[_("Choose measures from the list.")],
        )
    ordered = [value for value in SafetyMeasure.values if value in set(measures)]
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("programme").get(pk=case.pk)
        case_policy.require(actor, "work", locked)
        if locked.stage == CaseStage.CLOSED:
            raise ApplicationError(_("The case is closed; nothing more can be recorded on it."))
        plan = SafetyPlan.objects.filter(case=locked).first()
        if plan is None:
            plan = SafetyPlan.objects.create(
                case=locked, measures=ordered, notes=notes.strip(), updated_by=actor
            )
            changed = ["measures", "notes"] if notes.strip() else ["measures"]
        else:
            changed = [
                name
                for name, value in (("measures", ordered), ("notes", notes.strip()))
                if getattr(plan, name) != value
            ]
            if not changed:
                return plan
            plan.measures, plan.notes, plan.updated_by = ordered, notes.strip(), actor
            plan.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.SAFETY_PLAN_SAVED,
            target=plan,
            programme=locked.programme,
            data={"case": locked.pk, "measures": ordered, "fields": changed},
        )
        case_step_back_if_unsafe(case=locked)
    return plan
