"""Changing a programme's settings and its offence taxonomy. Administrators and supervisors
of the programme only; every change is audited with its old and new values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core import request_context
from amends.core.errors import ApplicationError
from amends.programmes.models import (
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    ProcessType,
    Programme,
    ProgrammeSettings,
    Terminology,
)
from amends.programmes.selectors import settings_key
from amends.programmes.services._common import (
    language_problems,
    lock_programme,
    require_configure,
)
from amends.programmes.services.setup import programme_setup_defaults

# Dates are computed from these windows; ten years keeps them far from the calendar's end.
LONGEST_VALIDITY_DAYS = 3650
CATEGORY_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _settings_not_changed(reasons: list[str]) -> ApplicationError:
    return ApplicationError(_("The settings were not changed."), reasons=reasons)


def programme_settings_update(
    *,
    actor: User | None,
    programme: Programme,
    process_types: Iterable[str] | None = None,
    terminology: str | None = None,
    assessment_validity_days: int | None = None,
    consent_validity_days: int | None = None,
    fast_track_enabled: bool | None = None,
    default_language: str | None = None,
    video_base_url: str | None = None,
    **rules: Any,
) -> ProgrammeSettings:
    """Change the programme's settings; arguments left as None stay as they are.

    `rules` are the process clocks and facilitator standards named in `NUMBER_RULES`
    (whole numbers) and `LIST_RULES` (lists of whole numbers), for example
    `meeting_stagger_minutes=20` or `follow_up_offsets_days=[14, 91]`.

    Returns the settings as saved; changes and records nothing when every value is
    already so. Raises ApplicationError, changing nothing, when no process type is
    offered or one is unknown, a validity window is under a day (or over ten years), the
    terminology is unknown, the default language has no information sheet yet, a
    number or a list is out of its range, or the video address is not a web address.
    """
    unknown_rules = sorted(set(rules) - set(NUMBER_RULES) - set(LIST_RULES))
    if unknown_rules:
        raise TypeError(f"unknown settings: {unknown_rules}")
    require_configure(actor, programme)
    proposed: dict[str, Any] = {}
    offered = None if process_types is None else [str(value) for value in process_types]
    if offered is not None:
        proposed["process_types"] = [value for value in ProcessType.values if value in offered]
    if default_language is not None:
        proposed["default_language"] = default_language.strip().lower()
    if video_base_url is not None:
        proposed["video_base_url"] = video_base_url.strip()
    for field, value in (
        *((name, value) for name, value in rules.items()),
        ("terminology", terminology),
        ("assessment_validity_days", assessment_validity_days),
        ("consent_validity_days", consent_validity_days),
        ("fast_track_enabled", fast_track_enabled),
    ):
        if value is not None:
            proposed[field] = value
    reasons = _settings_problems(proposed, offered or [])
    if reasons:
        raise _settings_not_changed(reasons)
    with transaction.atomic():
        locked_programme = lock_programme(programme)
        # A programme made before settings existed gets its defaults first.
        programme_setup_defaults(actor=actor, programme=locked_programme)
        current = ProgrammeSettings.objects.select_for_update().get(programme=locked_programme)
        changed = {
            field: {"old": getattr(current, field), "new": value}
            for field, value in proposed.items()
            if getattr(current, field) != value
        }
        if not changed:
            return current
        if (
            "default_language" in changed
            and not InformationSheet.objects.filter(
                programme=locked_programme, language=proposed["default_language"]
            ).exists()
        ):
            raise _settings_not_changed(
                [
                    _(
                        "There is no information sheet in “%(code)s” yet. Publish one before "
                        "making it the default language: people whose language has no sheet "
                        "are given the sheet in the default language."
                    )
                    % {"code": proposed["default_language"]}
                ],
            )
        for field in changed:
            setattr(current, field, proposed[field])
        current.save(update_fields=[*changed, "updated_at"])
        request_context.forget(settings_key(programme.pk))
        audit_record(
            actor=actor,
            action=Action.PROGRAMME_SETTINGS_CHANGED,
            target=current,
            programme=locked_programme,
            data={"changed": changed},
        )
    return current


def _settings_problems(proposed: Mapping[str, Any], offered: list[str]) -> list[str]:
    reasons = []
    if "process_types" in proposed:
        unknown = sorted(set(offered) - set(ProcessType.values))
        reasons += [
            _("“%(value)s” is not a process type Amends knows.") % {"value": value}
            for value in unknown
        ]
        if not proposed["process_types"] and not unknown:
            reasons.append(_("Offer at least one process type."))
    if "terminology" in proposed and proposed["terminology"] not in Terminology.values:
        reasons.append(_("Choose one of the terminologies offered."))
    windows = (
        ("assessment_validity_days", _("An assessment")),
        ("consent_validity_days", _("A consent")),
    )
    for field, subject in windows:
        value = proposed.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            reasons.append(
                _("%(subject)s must stay valid for at least one day.") % {"subject": subject}
            )
        elif value > LONGEST_VALIDITY_DAYS:
            reasons.append(
                _("%(subject)s can stay valid for at most %(days)d days (ten years).")
                % {"subject": subject, "days": LONGEST_VALIDITY_DAYS}
            )
    if "fast_track_enabled" in proposed and not isinstance(proposed["fast_track_enabled"], bool):
        reasons.append(_("Say whether the fast track is on or off."))
    if "default_language" in proposed:
        reasons += language_problems(proposed["default_language"])
    return reasons + _rule_problems(proposed)


# The process clocks and facilitator standards: field → (lowest, highest, what it is).
NUMBER_RULES: dict[str, tuple[int, int, StrOrPromise]] = {
    "meeting_stagger_minutes": (0, 240, gettext_lazy("The gap between arrivals")),
    "max_work_hours": (1, 1000, gettext_lazy("The most hours of work")),
    "agreement_grace_days": (0, 365, gettext_lazy("The days before an item counts as not kept")),
    "survey_link_valid_days": (1, 90, gettext_lazy("A survey link's life")),
    "support_reply_days": (1, 60, gettext_lazy("The wait for a partner's answer")),
    "supervision_interval_days": (7, 365, gettext_lazy("The supervision interval")),
    "cpd_hours_foundation": (0, 200, gettext_lazy("CPD hours at foundation level")),
    "cpd_hours_intermediate": (0, 200, gettext_lazy("CPD hours at intermediate level")),
    "cpd_hours_advanced": (0, 200, gettext_lazy("CPD hours at advanced level")),
}
# field → (lowest, highest value, most entries, what it is)
LIST_RULES: dict[str, tuple[int, int, int, StrOrPromise]] = {
    "reminder_offsets_hours": (1, 24 * 30, 5, gettext_lazy("Meeting reminders")),
    "follow_up_offsets_days": (1, 730, 6, gettext_lazy("Follow-up calls")),
}


def _rule_problems(proposed: Mapping[str, Any]) -> list[str]:
    reasons = []
    for field, (lowest, highest, subject) in NUMBER_RULES.items():
        value = proposed.get(field)
        if value is not None and not _whole_between(value, lowest, highest):
            reasons.append(
                _("%(subject)s must be a whole number from %(lowest)d to %(highest)d.")
                % {"subject": subject, "lowest": lowest, "highest": highest}
            )
    for field, (lowest, highest, most, subject) in LIST_RULES.items():
        values = proposed.get(field)
        if values is None:
            continue
        if (
            not isinstance(values, list)
            or not 1 <= len(values) <= most
            or not all(_whole_between(value, lowest, highest) for value in values)
        ):
            reasons.append(
                _(
                    "%(subject)s: give from one to %(most)d whole numbers, each from "
                    "%(lowest)d to %(highest)d."
                )
                % {"subject": subject, "most": most, "lowest": lowest, "highest": highest}
            )
    url = proposed.get("video_base_url")
    if url and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        reasons.append(
            _("The video service address must be a web address such as https://meet.example.org/.")
        )
    return reasons


def _whole_between(value: Any, lowest: int, highest: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest


def offence_category_add(
    *,
    actor: User | None,
    programme: Programme,
    code: str,
    name: str,
    is_sensitive: bool = False,
    allows_fast_track: bool = False,
) -> OffenceCategory:
    """Add a category to the programme's offence taxonomy, after the existing ones.

    The code is permanent: referrals and policy versions name categories by it. Until a
    new eligibility policy version says what applies to the new category, referrals in
    it cannot be found eligible. Raises ApplicationError, adding nothing, for a missing
    or badly formed code, a code or name already used, or a sensitive category that
    could be fast-tracked.
    """
    require_configure(actor, programme)
    code, name = code.strip().lower(), name.strip()
    with transaction.atomic():
        locked = lock_programme(programme)
        existing = OffenceCategory.objects.filter(programme=locked)
        reasons = _code_problems(code, existing) + _category_problems(
            name, is_sensitive, allows_fast_track, existing
        )
        if reasons:
            raise ApplicationError(_("The category was not added."), reasons=reasons)
        position = (existing.aggregate(highest=Max("position"))["highest"] or 0) + 1
        category = OffenceCategory.objects.create(
            programme=locked,
            code=code,
            name=name,
            is_sensitive=is_sensitive,
            allows_fast_track=allows_fast_track,
            position=position,
        )
        audit_record(
            actor=actor,
            action=Action.OFFENCE_CATEGORY_ADDED,
            target=category,
            data={
                "code": code,
                "is_sensitive": is_sensitive,
                "allows_fast_track": allows_fast_track,
            },
        )
    return category


def offence_category_update(
    *,
    actor: User | None,
    category: OffenceCategory,
    name: str | None = None,
    is_sensitive: bool | None = None,
    allows_fast_track: bool | None = None,
    is_active: bool | None = None,
) -> OffenceCategory:
    """Change a category's name, sensitivity, fast-track flag or whether it is in use;
    arguments left as None stay as they are. The code never changes.

    Returns the category as saved; changes and records nothing when every value is
    already so. Raises ApplicationError, changing nothing, when the name is missing or
    taken, a sensitive category would be fast-tracked, or the category would become
    sensitive while the current eligibility policy makes it eligible without the
    specialist protocol.
    """
    require_configure(actor, category.programme)
    with transaction.atomic():
        programme = lock_programme(category.programme)
        locked = OffenceCategory.objects.select_for_update().get(pk=category.pk)
        proposed: dict[str, Any] = {
            "name": locked.name if name is None else name.strip(),
            "is_sensitive": locked.is_sensitive if is_sensitive is None else is_sensitive,
            "allows_fast_track": (
                locked.allows_fast_track if allows_fast_track is None else allows_fast_track
            ),
            "is_active": locked.is_active if is_active is None else is_active,
        }
        changed = {
            field: {"old": getattr(locked, field), "new": value}
            for field, value in proposed.items()
            if getattr(locked, field) != value
        }
        if not changed:
            return locked
        others = OffenceCategory.objects.filter(programme=programme).exclude(pk=locked.pk)
        reasons = _category_problems(
            proposed["name"], proposed["is_sensitive"], proposed["allows_fast_track"], others
        )
        if proposed["is_sensitive"] and not locked.is_sensitive:
            reasons += _plainly_eligible_problems(programme, locked)
        if reasons:
            raise ApplicationError(_("The category was not changed."), reasons=reasons)
        for field in changed:
            setattr(locked, field, proposed[field])
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.OFFENCE_CATEGORY_CHANGED,
            target=locked,
            data={"code": locked.code, "changed": changed},
        )
    return locked


def _code_problems(code: str, existing: Any) -> list[str]:
    if not code:
        return [_("Give the category a code.")]
    if len(code) > 40 or not CATEGORY_CODE.fullmatch(code):
        return [
            _(
                "Use at most 40 lower-case letters, digits and single hyphens for the code, "
                "such as “criminal-damage”."
            )
        ]
    if existing.filter(code=code).exists():
        return [_("The code “%(code)s” is already used in this programme.") % {"code": code}]
    return []


def _category_problems(
    name: str, is_sensitive: bool, allows_fast_track: bool, others: Any
) -> list[str]:
    reasons = []
    if not name:
        reasons.append(_("Give the category a name."))
    elif len(name) > 120:
        reasons.append(_("Keep the name to 120 characters or fewer."))
    elif others.filter(name__iexact=name).exists():
        reasons.append(_("Another category is already called “%(name)s”.") % {"name": name})
    if is_sensitive and allows_fast_track:
        reasons.append(
            _(
                "A sensitive category can never be fast-tracked: its cases always follow the "
                "specialist protocol, with a supervisor's sign-off and a safety plan."
            )
        )
    return reasons


def _plainly_eligible_problems(programme: Programme, category: OffenceCategory) -> list[str]:
    policy = EligibilityPolicy.objects.filter(programme=programme).order_by("-version").first()
    if policy is None or category.code not in policy.eligible_categories:
        return []
    return [
        _(
            "The current eligibility policy (version %(version)d) makes “%(name)s” eligible "
            "without the specialist protocol, which a sensitive category cannot be. Publish "
            "a new policy version that puts it under the specialist protocol or excludes it, "
            "then mark it sensitive."
        )
        % {"version": policy.version, "name": category.name}
    ]
