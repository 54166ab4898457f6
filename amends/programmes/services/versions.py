"""Publishing new versions of a programme's eligibility policy, assessment template and
information sheets.

A version is never edited: publishing makes version max+1 and leaves every earlier one
exactly as it was, because referral decisions, assessments and consents record the
version they were made under (G1, G4, G3). Publishing the same content as the current
version is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    Programme,
)
from amends.programmes.questions import highest_score, question_problems, tidy_questions
from amends.programmes.services._common import (
    language_problems,
    lock_programme,
    require_configure,
)

OLDEST_MINIMUM_AGE = 120
LONGEST_CONDITIONS = 5000


def _next_version(versions: QuerySet[Any]) -> int:
    return int(versions.aggregate(highest=Max("version"))["highest"] or 0) + 1


def eligibility_policy_publish(
    *,
    actor: User | None,
    programme: Programme,
    eligible_categories: Iterable[str],
    specialist_categories: Iterable[str],
    excluded_categories: Iterable[str],
    minimum_age_harmed: int | None = None,
    minimum_age_responsible: int | None = None,
    conditions: str = "",
) -> EligibilityPolicy:
    """Publish a new version of the eligibility policy (G1) and return it.

    Every category in use must be in exactly one of the three lists, and a sensitive
    category can only be under the specialist protocol or excluded. Returns the current
    version, recording nothing, when nothing differs from it. Raises ApplicationError,
    publishing nothing, for an unknown code, a code in two lists, a category in use left
    out, a sensitive category made plainly eligible, or an impossible minimum age.
    """
    require_configure(actor, programme)
    lists = {
        "eligible": [str(code) for code in eligible_categories],
        "specialist": [str(code) for code in specialist_categories],
        "excluded": [str(code) for code in excluded_categories],
    }
    conditions = conditions.strip()
    with transaction.atomic():
        locked = lock_programme(programme)
        categories = list(
            OffenceCategory.objects.filter(programme=locked).order_by("position", "name")
        )
        reasons = _policy_problems(categories, lists)
        reasons += _age_problems(minimum_age_harmed, _("the person harmed"))
        reasons += _age_problems(minimum_age_responsible, _("the person responsible"))
        if len(conditions) > LONGEST_CONDITIONS:
            reasons.append(
                _("Keep the other conditions to %(count)d characters or fewer.")
                % {"count": LONGEST_CONDITIONS}
            )
        if reasons:
            raise ApplicationError(_("The eligibility policy was not published."), reasons=reasons)
        # Stored in the taxonomy's order, each code once, so versions compare cleanly.
        ordered = {
            name: [c.code for c in categories if c.code in codes] for name, codes in lists.items()
        }
        new_values: dict[str, Any] = {
            "eligible_categories": ordered["eligible"],
            "specialist_categories": ordered["specialist"],
            "excluded_categories": ordered["excluded"],
            "minimum_age_harmed": minimum_age_harmed,
            "minimum_age_responsible": minimum_age_responsible,
            "conditions": conditions,
        }
        versions = EligibilityPolicy.objects.filter(programme=locked)
        current = versions.order_by("-version").first()
        if current is not None and all(
            getattr(current, field) == value for field, value in new_values.items()
        ):
            return current
        policy = EligibilityPolicy.objects.create(
            programme=locked, version=_next_version(versions), created_by=actor, **new_values
        )
        audit_record(
            actor=actor,
            action=Action.ELIGIBILITY_POLICY_VERSIONED,
            target=policy,
            data={
                "version": policy.version,
                "previous_version": current.version if current else None,
                "eligible": policy.eligible_categories,
                "specialist": policy.specialist_categories,
                "excluded": policy.excluded_categories,
                "minimum_age_harmed": minimum_age_harmed,
                "minimum_age_responsible": minimum_age_responsible,
                "conditions_changed": conditions != (current.conditions if current else ""),
            },
        )
    return policy


def _policy_problems(categories: list[OffenceCategory], lists: dict[str, list[str]]) -> list[str]:
    by_code = {category.code: category for category in categories}
    reasons = []
    listed: dict[str, set[str]] = {}
    for list_name, codes in lists.items():
        for code in codes:
            listed.setdefault(code, set()).add(list_name)
    for code in sorted(set(listed) - set(by_code)):
        reasons.append(
            _("“%(code)s” is not an offence category of this programme.") % {"code": code}
        )
    for category in categories:
        where = listed.get(category.code, set())
        if len(where) > 1:
            reasons.append(
                _(
                    "“%(name)s” is in more than one list; choose whether it is eligible, "
                    "needs the specialist protocol, or is excluded."
                )
                % {"name": category.name}
            )
        elif not where and category.is_active:
            reasons.append(
                _(
                    "Say whether “%(name)s” is eligible, needs the specialist protocol, "
                    "or is excluded."
                )
                % {"name": category.name}
            )
        if category.is_sensitive and "eligible" in where:
            reasons.append(
                _(
                    "“%(name)s” is sensitive, so it can only be eligible under the specialist "
                    "protocol, or excluded."
                )
                % {"name": category.name}
            )
    return reasons


def _age_problems(age: Any, person: str) -> list[str]:
    if age is None:
        return []
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= OLDEST_MINIMUM_AGE:
        return [
            _(
                "The minimum age of %(person)s must be a whole number from 0 to %(oldest)d, "
                "or left empty for no minimum."
            )
            % {"person": person, "oldest": OLDEST_MINIMUM_AGE}
        ]
    return []


def assessment_template_publish(
    *,
    actor: User | None,
    programme: Programme,
    questions: Any,
    medium_threshold: Any,
    high_threshold: Any,
) -> AssessmentTemplate:
    """Publish a new version of the assessment template (G4, G8) and return it.

    `questions` is the list described on AssessmentTemplate, checked strictly: unique
    keys, a text, a weight from 0 to 5, thresholds from 0 to 3, no unknown fields. The
    medium threshold must be at least 1 and below the high threshold, which the highest
    possible score must be able to reach. Returns the current version, recording
    nothing, when nothing differs from it. Raises ApplicationError, publishing nothing,
    with one reason per problem, naming the question.
    """
    require_configure(actor, programme)
    reasons = question_problems(questions)
    reasons += _threshold_problems(
        medium_threshold, high_threshold, None if reasons else highest_score(questions)
    )
    if reasons:
        raise ApplicationError(_("The assessment template was not published."), reasons=reasons)
    tidy = tidy_questions(questions)
    with transaction.atomic():
        locked = lock_programme(programme)
        versions = AssessmentTemplate.objects.filter(programme=locked)
        current = versions.order_by("-version").first()
        if (
            current is not None
            and current.questions == tidy
            and (current.medium_threshold, current.high_threshold)
            == (medium_threshold, high_threshold)
        ):
            return current
        template = AssessmentTemplate.objects.create(
            programme=locked,
            version=_next_version(versions),
            questions=tidy,
            medium_threshold=medium_threshold,
            high_threshold=high_threshold,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.ASSESSMENT_TEMPLATE_VERSIONED,
            target=template,
            data={
                "version": template.version,
                "previous_version": current.version if current else None,
                "questions": [question["key"] for question in tidy],
                "medium_threshold": medium_threshold,
                "high_threshold": high_threshold,
            },
        )
    return template


def _threshold_problems(medium: Any, high: Any, highest: int | None) -> list[str]:
    reasons = []
    whole = [isinstance(value, int) and not isinstance(value, bool) for value in (medium, high)]
    if not whole[0] or medium < 1:
        reasons.append(
            _(
                "The medium-risk threshold must be a whole number of at least 1 (at 0, every "
                "assessment would be medium risk or higher)."
            )
        )
    if not whole[1]:
        reasons.append(_("The high-risk threshold must be a whole number."))
    if reasons:
        return reasons
    if high <= medium:
        reasons.append(
            _("The high-risk threshold (%(high)d) must be above the medium-risk one (%(medium)d).")
            % {"high": high, "medium": medium}
        )
    elif highest is not None and high > highest:
        reasons.append(
            _(
                "The high-risk threshold (%(high)d) is above the highest possible score "
                "(%(highest)d), so no assessment could reach it."
            )
            % {"high": high, "highest": highest}
        )
    return reasons


def information_sheet_publish(
    *, actor: User | None, programme: Programme, language: str, title: str, body: str
) -> InformationSheet:
    """Publish a new version of the information sheet in one language (G3) and return it.

    Participants who consent from now on are given this version; consents already
    recorded keep the version they were given. Returns the current version, recording
    nothing, when the title and text are unchanged. Raises ApplicationError, publishing
    nothing, for a language that is not an ISO 639-1 code or a missing title or text.
    """
    require_configure(actor, programme)
    language, title = language.strip().lower(), title.strip()
    # Browsers send a textarea's line breaks as CRLF; stored as LF so versions compare.
    body = body.replace("\r\n", "\n").strip()
    reasons = language_problems(language)
    if not title:
        reasons.append(_("Give the sheet a title."))
    elif len(title) > 200:
        reasons.append(_("Keep the title to 200 characters or fewer."))
    if not body:
        reasons.append(_("Write the text of the sheet."))
    if reasons:
        raise ApplicationError(_("The information sheet was not published."), reasons=reasons)
    with transaction.atomic():
        locked = lock_programme(programme)
        versions = InformationSheet.objects.filter(programme=locked, language=language)
        current = versions.order_by("-version").first()
        if current is not None and (current.title, current.body) == (title, body):
            return current
        sheet = InformationSheet.objects.create(
            programme=locked,
            language=language,
            version=_next_version(versions),
            title=title,
            body=body,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.INFORMATION_SHEET_VERSIONED,
            target=sheet,
            data={
                "language": language,
                "version": sheet.version,
                "previous_version": current.version if current else None,
            },
        )
    return sheet
