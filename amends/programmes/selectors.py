"""Reads of a programme's configuration: its settings, offence taxonomy and the current
(and past) versions of its eligibility policy, assessment template and information sheets.

"Current" is always the highest version: versions are never edited, so a case that
recorded the version it was decided under can always read exactly what applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from amends.core import request_context
from amends.programmes import defaults
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    Programme,
    ProgrammeSettings,
    Terminology,
)


def settings_for(programme: Programme) -> ProgrammeSettings:
    """The programme's settings. A programme created before settings existed (and not yet
    set up) gets the defaults, unsaved, so readers never have to handle a missing row.
    Read once per request (a case page asks a dozen times)."""
    return request_context.remembered(settings_key(programme.pk), lambda: _read(programme))


def settings_key(programme_id: int) -> tuple[str, int]:
    """The key a request remembers a programme's settings under (services that change
    them forget it)."""
    return ("programme_settings", programme_id)


def _read(programme: Programme) -> ProgrammeSettings:
    found = ProgrammeSettings.objects.filter(programme_id=programme.pk).first()
    if found is not None:
        return found
    return ProgrammeSettings(
        programme=programme,
        process_types=list(defaults.PROCESS_TYPES),
        terminology=defaults.TERMINOLOGY,
        assessment_validity_days=defaults.ASSESSMENT_VALIDITY_DAYS,
        consent_validity_days=defaults.CONSENT_VALIDITY_DAYS,
        fast_track_enabled=False,
        default_language=defaults.DEFAULT_LANGUAGE,
    )


def current_eligibility_policy(programme: Programme) -> EligibilityPolicy | None:
    """The latest eligibility policy, or None when the programme has none (then nothing
    is eligible)."""
    return EligibilityPolicy.objects.filter(programme_id=programme.pk).order_by("-version").first()


def current_assessment_template(programme: Programme) -> AssessmentTemplate | None:
    """The latest assessment template, or None when the programme has none."""
    return AssessmentTemplate.objects.filter(programme_id=programme.pk).order_by("-version").first()


def current_information_sheet(programme: Programme, language: str) -> InformationSheet | None:
    """The latest information sheet in `language`; else in its main language ("pt" for
    "pt-br"); else in the programme's default language; None when there is none at all."""
    return information_sheet_chooser(programme)(language)


def information_sheet_chooser(programme: Programme) -> Callable[[str], InformationSheet | None]:
    """`current_information_sheet` for any number of languages after one query (a case
    page asks for each participant's language): the latest sheet of each language."""
    newer = InformationSheet.objects.filter(
        programme_id=OuterRef("programme_id"),
        language=OuterRef("language"),
        version__gt=OuterRef("version"),
    )
    latest = {
        sheet.language: sheet
        for sheet in InformationSheet.objects.filter(programme_id=programme.pk).exclude(
            Exists(newer)
        )
    }
    default_language = settings_for(programme).default_language

    def choose(language: str) -> InformationSheet | None:
        wanted = (language or "").strip().lower()
        for candidate in (wanted, wanted.split("-")[0], default_language):
            if candidate and candidate in latest:
                return latest[candidate]
        return None

    return choose


def offence_categories(programme: Programme, active_only: bool = True) -> QuerySet[OffenceCategory]:
    """The programme's offence taxonomy in its display order."""
    categories = OffenceCategory.objects.filter(programme_id=programme.pk)
    if active_only:
        categories = categories.filter(is_active=True)
    return categories.order_by("position", "name")


def offence_category_get(programme: Programme, category_id: int) -> OffenceCategory:
    """One category of this programme; OffenceCategory.DoesNotExist for any other id."""
    return OffenceCategory.objects.get(programme_id=programme.pk, pk=category_id)


def information_sheet_languages(programme: Programme) -> list[str]:
    """The languages the programme has an information sheet in, sorted."""
    # order_by replaces the model's ordering, whose other columns would defeat distinct().
    languages = (
        InformationSheet.objects.filter(programme_id=programme.pk)
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return list(languages)


def eligibility_policy_history(programme: Programme) -> QuerySet[EligibilityPolicy]:
    """Every version, newest first, with who published it."""
    return (
        EligibilityPolicy.objects.filter(programme_id=programme.pk)
        .select_related("created_by")
        .order_by("-version")
    )


def assessment_template_history(programme: Programme) -> QuerySet[AssessmentTemplate]:
    """Every version, newest first, with who published it."""
    return (
        AssessmentTemplate.objects.filter(programme_id=programme.pk)
        .select_related("created_by")
        .order_by("-version")
    )


def information_sheet_history(programme: Programme) -> QuerySet[InformationSheet]:
    """Every version in every language, by language then newest first."""
    return (
        InformationSheet.objects.filter(programme_id=programme.pk)
        .select_related("created_by")
        .order_by("language", "-version")
    )


def eligibility_policy_get(programme: Programme, version: int) -> EligibilityPolicy:
    """One version; EligibilityPolicy.DoesNotExist when the programme has no such version."""
    return EligibilityPolicy.objects.select_related("created_by").get(
        programme_id=programme.pk, version=version
    )


def assessment_template_get(programme: Programme, version: int) -> AssessmentTemplate:
    """One version; AssessmentTemplate.DoesNotExist when the programme has no such version."""
    return AssessmentTemplate.objects.select_related("created_by").get(
        programme_id=programme.pk, version=version
    )


def information_sheet_get(programme: Programme, language: str, version: int) -> InformationSheet:
    """One version in one language; InformationSheet.DoesNotExist when there is none."""
    return InformationSheet.objects.select_related("created_by").get(
        programme_id=programme.pk, language=language, version=version
    )


ELIGIBLE, SPECIALIST, EXCLUDED = "eligible", "specialist", "excluded"


def eligibility_rule_by_code(policy: EligibilityPolicy | None) -> dict[str, str]:
    """category code → "eligible", "specialist" or "excluded" under `policy`; a category
    the policy does not mention is absent (and cannot be found eligible)."""
    if policy is None:
        return {}
    rules = dict.fromkeys(policy.excluded_categories, EXCLUDED)
    rules.update(dict.fromkeys(policy.specialist_categories, SPECIALIST))
    rules.update(dict.fromkeys(policy.eligible_categories, ELIGIBLE))
    return rules


def categories_without_eligibility_rule(programme: Programme) -> list[OffenceCategory]:
    """Categories in use that the current policy does not mention: referrals in them
    cannot be found eligible until a new policy version says what applies."""
    covered = eligibility_rule_by_code(current_eligibility_policy(programme))
    return [category for category in offence_categories(programme) if category.code not in covered]


@dataclass(frozen=True)
class PartyLabels:
    """What the programme calls the two key parties (its terminology setting)."""

    harmed: str
    responsible: str


def party_labels(programme: Programme) -> PartyLabels:
    """The programme's words for the person harmed and the person responsible."""
    if settings_for(programme).terminology == Terminology.VICTIM_OFFENDER:
        return PartyLabels(harmed=_("Victim"), responsible=_("Offender"))
    return PartyLabels(harmed=_("Person harmed"), responsible=_("Person responsible"))
