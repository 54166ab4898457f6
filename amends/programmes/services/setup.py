"""Setting up a new programme with working defaults (see amends.programmes.defaults)."""

from __future__ import annotations

from django.db import transaction

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core import request_context
from amends.programmes import defaults
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    Programme,
    ProgrammeSettings,
)
from amends.programmes.selectors import settings_key
from amends.programmes.services._common import lock_programme, require_configure


def programme_setup_defaults(*, actor: User | None, programme: Programme) -> ProgrammeSettings:
    """Give a programme what it needs to take referrals: settings, the default offence
    taxonomy, eligibility policy v1, assessment template v1 and an English information
    sheet v1. Returns the programme's settings.

    Idempotent and never overwrites: each part is created only when the programme has
    none of that kind yet, so calling it again (or on a programme someone has already
    configured) changes nothing. Every row it creates is audited.

    `actor` None is the system (programme creation by a command, the test cast); anyone
    else must be allowed to configure the programme (PermissionRefused otherwise).
    """
    require_configure(actor, programme)
    with transaction.atomic():
        locked = lock_programme(programme)
        programme_settings = ProgrammeSettings.objects.filter(programme=locked).first()
        if programme_settings is None:
            programme_settings = _create_settings(actor, locked)
        if not OffenceCategory.objects.filter(programme=locked).exists():
            _create_categories(actor, locked)
        if not EligibilityPolicy.objects.filter(programme=locked).exists():
            _create_eligibility_policy(actor, locked)
        if not AssessmentTemplate.objects.filter(programme=locked).exists():
            _create_assessment_template(actor, locked)
        if not InformationSheet.objects.filter(programme=locked).exists():
            _create_information_sheet(actor, locked)
    return programme_settings


def _create_settings(actor: User | None, programme: Programme) -> ProgrammeSettings:
    programme_settings = ProgrammeSettings.objects.create(
        programme=programme,
        process_types=list(defaults.PROCESS_TYPES),
        terminology=defaults.TERMINOLOGY,
        assessment_validity_days=defaults.ASSESSMENT_VALIDITY_DAYS,
        consent_validity_days=defaults.CONSENT_VALIDITY_DAYS,
        fast_track_enabled=False,
        default_language=defaults.DEFAULT_LANGUAGE,
    )
    values = {
        field: getattr(programme_settings, field)
        for field in (
            "process_types",
            "terminology",
            "assessment_validity_days",
            "consent_validity_days",
            "fast_track_enabled",
            "default_language",
        )
    }
    audit_record(
        actor=actor,
        action=Action.PROGRAMME_SETTINGS_CHANGED,
        target=programme_settings,
        programme=programme,
        data={
            "set_up": "defaults",
            "changed": {field: {"old": None, "new": value} for field, value in values.items()},
        },
    )
    request_context.forget(settings_key(programme.pk))
    return programme_settings


def _create_categories(actor: User | None, programme: Programme) -> None:
    for position, default in enumerate(defaults.OFFENCE_CATEGORIES, start=1):
        category = OffenceCategory.objects.create(
            programme=programme,
            code=default.code,
            name=default.name,
            is_sensitive=default.is_sensitive,
            allows_fast_track=default.allows_fast_track,
            required_endorsement=default.required_endorsement,
            position=position,
        )
        audit_record(
            actor=actor,
            action=Action.OFFENCE_CATEGORY_ADDED,
            target=category,
            data={
                "code": category.code,
                "is_sensitive": category.is_sensitive,
                "allows_fast_track": category.allows_fast_track,
                "required_endorsement": category.required_endorsement,
            },
        )


def _create_eligibility_policy(actor: User | None, programme: Programme) -> None:
    # Built from the programme's own categories (the defaults, or any it already had):
    # sensitive ones only ever under the specialist protocol.
    categories = list(
        OffenceCategory.objects.filter(programme=programme, is_active=True).order_by(
            "position", "name"
        )
    )
    policy = EligibilityPolicy.objects.create(
        programme=programme,
        version=1,
        eligible_categories=[c.code for c in categories if not c.is_sensitive],
        specialist_categories=[c.code for c in categories if c.is_sensitive],
        excluded_categories=[],
        minimum_age_harmed=None,
        minimum_age_responsible=defaults.MINIMUM_AGE_RESPONSIBLE,
        conditions="",
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.ELIGIBILITY_POLICY_VERSIONED,
        target=policy,
        data={
            "version": policy.version,
            "eligible": policy.eligible_categories,
            "specialist": policy.specialist_categories,
            "excluded": policy.excluded_categories,
            "minimum_age_harmed": policy.minimum_age_harmed,
            "minimum_age_responsible": policy.minimum_age_responsible,
        },
    )


def _create_assessment_template(actor: User | None, programme: Programme) -> None:
    template = AssessmentTemplate.objects.create(
        programme=programme,
        version=1,
        questions=[dict(question) for question in defaults.ASSESSMENT_QUESTIONS],
        medium_threshold=defaults.MEDIUM_THRESHOLD,
        high_threshold=defaults.HIGH_THRESHOLD,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.ASSESSMENT_TEMPLATE_VERSIONED,
        target=template,
        data={
            "version": template.version,
            "questions": [question["key"] for question in template.questions],
            "medium_threshold": template.medium_threshold,
            "high_threshold": template.high_threshold,
        },
    )


def _create_information_sheet(actor: User | None, programme: Programme) -> None:
    sheet = InformationSheet.objects.create(
        programme=programme,
        language=defaults.DEFAULT_LANGUAGE,
        version=1,
        title=defaults.INFORMATION_SHEET_TITLE,
        body=defaults.INFORMATION_SHEET_BODY,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.INFORMATION_SHEET_VERSIONED,
        target=sheet,
        data={"language": sheet.language, "version": sheet.version},
    )
