"""Publishing versions of a programme's survey instruments.

A version is never edited: publishing makes version max+1 and leaves every earlier one as
it was, because each invitation and response keeps the version it was sent with.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError, PermissionRefused
from amends.followups import instruments
from amends.followups.models import SurveyAudience, SurveyInstrument
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy

LONGEST_TITLE = 200


def _require_configure(actor: User | None, programme: Programme) -> None:
    if actor is not None and not programme_policy.can(actor, "configure", programme):
        raise PermissionRefused(
            _("Only the programme's administrators and supervisors can change how it works.")
        )


def survey_instrument_publish(
    *, actor: User | None, programme: Programme, audience: str, title: str, questions: Any
) -> SurveyInstrument:
    """Publish a new version of the programme's survey for an audience (people harmed or
    people responsible) and return it. Surveys sent from now on use it; those already
    sent keep theirs.

    `questions` is checked strictly (`instruments.question_problems`). Returns the current
    version, recording nothing, when nothing differs from it. Only the programme's
    administrators and supervisors may publish (PermissionRefused); `actor` None is the
    system. Raises ApplicationError, publishing nothing, with one reason per problem.
    """
    _require_configure(actor, programme)
    title = title.strip()
    reasons = []
    if audience not in SurveyAudience.values:
        reasons.append(_("Choose whom the survey is for."))
    if not title or len(title) > LONGEST_TITLE:
        reasons.append(
            _("Give the survey a title of %(count)d characters or fewer.")
            % {"count": LONGEST_TITLE}
        )
    reasons += instruments.question_problems(questions)
    if reasons:
        raise ApplicationError(_("The survey was not published."), reasons=reasons)
    tidy = instruments.tidy_questions(questions)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        return _publish(actor, locked, audience, title, tidy)


def _publish(
    actor: User | None,
    programme: Programme,
    audience: str,
    title: str,
    questions: list[dict[str, Any]],
) -> SurveyInstrument:
    """Inside a transaction holding the programme's lock."""
    versions = SurveyInstrument.objects.filter(programme=programme, audience=audience)
    current = versions.order_by("-version").first()
    if current is not None and (current.title, current.questions) == (title, questions):
        return current
    instrument = SurveyInstrument.objects.create(
        programme=programme,
        audience=audience,
        version=int(versions.aggregate(highest=Max("version"))["highest"] or 0) + 1,
        title=title,
        questions=questions,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.SURVEY_INSTRUMENT_VERSIONED,
        target=instrument,
        programme=programme,
        data={
            "audience": audience,
            "version": instrument.version,
            "previous_version": current.version if current else None,
            "questions": [question["key"] for question in questions],
        },
    )
    return instrument


def survey_instruments_setup_defaults(
    *, actor: User | None, programme: Programme
) -> list[SurveyInstrument]:
    """Give the programme the default surveys (version 1 for people harmed and for people
    responsible) where it has none for that audience yet, and return its current ones.
    Idempotent; never overwrites a survey the programme already has.

    The programme's set-up may call this; sending a survey calls it too (with the system
    as actor), so a programme set up before surveys existed still has them.
    """
    _require_configure(actor, programme)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        current = []
        for audience in SurveyAudience.values:
            existing = (
                SurveyInstrument.objects.filter(programme=locked, audience=audience)
                .order_by("-version")
                .first()
            )
            if existing is None:
                existing = _publish(
                    actor,
                    locked,
                    audience,
                    instruments.DEFAULT_TITLE,
                    instruments.tidy_questions(instruments.DEFAULT_QUESTIONS[audience]),
                )
            current.append(existing)
    return current
