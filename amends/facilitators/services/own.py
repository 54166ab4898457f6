"""What a facilitator keeps up to date themselves: their details, training, usual week
and periods away. Nobody else edits these (the policy's `edit_own`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.facilitators.models import (
    AvailabilitySlot,
    AwayPeriod,
    FacilitatorProfile,
    TrainingRecord,
    Weekday,
)
from amends.facilitators.permissions import facilitator_policy
from amends.facilitators.services._common import (
    audit_programme,
    is_date,
    lock_facilitator,
    required_text,
)
from amends.people.models import Gender

# ISO 639-1 (two letters) or 639-2/3 (three), optionally with a region or script.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
LIST_MAX_ITEMS = 30
LIST_ITEM_MAX_LENGTH = 80
CAPACITY_MAX = 100
TRAINING_HOURS_MAX = Decimal(500)


def profile_update(
    *,
    actor: User,
    facilitator: User,
    gender: str = "",
    languages: Sequence[str] = (),
    cultural_competencies: Sequence[str] = (),
    regions: Sequence[str] = (),
    capacity: int,
) -> FacilitatorProfile:
    """A facilitator sets their own details: gender as they state it, the languages
    they work in (ISO 639 codes such as "en" or "pl"), cultural and community
    competencies, the regions they work in and the most cases they take at a time.

    Creates the profile the first time. Raises PermissionRefused for anyone but the
    facilitator and ApplicationError, changing nothing, for an unknown gender, a code
    that is not an ISO 639 language code, over-long lists or a capacity outside 0–100.
    """
    facilitator_policy.require(actor, "edit_own", facilitator)
    reasons: list[str] = []
    values: dict[str, Any] = {
        "gender": _gender(gender, reasons),
        "languages": _languages(languages, reasons),
        "cultural_competencies": _text_list(
            cultural_competencies, what=_("Cultural and community competencies"), reasons=reasons
        ),
        "regions": _text_list(regions, what=_("Regions"), reasons=reasons),
        "capacity": _capacity(capacity, reasons),
    }
    if reasons:
        raise ApplicationError(_("Your details were not saved."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        profile = FacilitatorProfile.objects.filter(user=facilitator).first()
        created = profile is None
        if profile is None:
            profile = FacilitatorProfile(user=facilitator)
        changed = [name for name, value in values.items() if getattr(profile, name) != value]
        if not changed and not created:
            return profile
        for name, value in values.items():
            setattr(profile, name, value)
        if created:
            profile.save()
        else:
            profile.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.FACILITATOR_PROFILE_UPDATED,
            target=profile,
            programme=audit_programme(actor, facilitator),
            # Which details changed, not what they say (gender is personal).
            data={"facilitator": facilitator.pk, "changed": sorted(changed), "created": created},
        )
    return profile


def _gender(value: str, reasons: list[str]) -> str:
    value = (value or "").strip()
    if value and value not in Gender.values:
        reasons.append(_("Choose one of the genders offered, or leave it empty."))
    return value


def _languages(codes: Sequence[str], reasons: list[str]) -> list[str]:
    cleaned: list[str] = []
    for code in codes:
        normal = str(code).strip().lower().replace("_", "-")
        if not normal or normal in cleaned:
            continue
        if not LANGUAGE_CODE.match(normal):
            reasons.append(
                _("“%(code)s” is not a language code: use ISO 639 codes such as “en” or “pl”.")
                % {"code": str(code).strip()[:20]}
            )
            continue
        cleaned.append(normal)
    if len(cleaned) > LIST_MAX_ITEMS:
        reasons.append(_("Give at most %(count)d languages.") % {"count": LIST_MAX_ITEMS})
    return cleaned


def _text_list(items: Sequence[str], *, what: str, reasons: list[str]) -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = " ".join(str(item).split())
        if not text or text.casefold() in seen:
            continue
        if len(text) > LIST_ITEM_MAX_LENGTH:
            reasons.append(
                _("%(what)s: each entry has %(limit)d characters at most.")
                % {"what": what, "limit": LIST_ITEM_MAX_LENGTH}
            )
            continue
        seen.add(text.casefold())
        cleaned.append(text)
    if len(cleaned) > LIST_MAX_ITEMS:
        reasons.append(
            _("%(what)s: at most %(count)d entries.") % {"what": what, "count": LIST_MAX_ITEMS}
        )
    return cleaned


def _capacity(value: Any, reasons: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CAPACITY_MAX:
        reasons.append(
            _("Give the most cases you take at a time as a number from 0 to %(max)d.")
            % {"max": CAPACITY_MAX}
        )
        return 0
    return value


def training_add(
    *,
    actor: User,
    facilitator: User,
    course: str,
    provider: str,
    completed_on: datetime.date,
    hours: Decimal,
    counts_as_cpd: bool = True,
    approved_provider: bool = False,
) -> TrainingRecord:
    """A facilitator records training they have done. CPD hours count in the calendar
    year of `completed_on`.

    Raises PermissionRefused for anyone but the facilitator and ApplicationError,
    recording nothing, for a missing course or provider, a date in the future, or hours
    that are not more than 0 and at most 500 (in hundredths at most).
    """
    facilitator_policy.require(actor, "edit_own", facilitator)
    reasons: list[str] = []
    course = required_text(course, what=_("the course"), reasons=reasons)
    provider = required_text(provider, what=_("who provided it"), reasons=reasons)
    if not is_date(completed_on):
        reasons.append(_("Give the date of the training."))
    elif completed_on > timezone.localdate():
        reasons.append(_("Record training once it is done: the date is in the future."))
    hours = _hours(hours, reasons)
    if reasons:
        raise ApplicationError(_("The training was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        record = TrainingRecord.objects.create(
            facilitator=facilitator,
            recorded_by=actor,
            course=course,
            provider=provider,
            completed_on=completed_on,
            hours=hours,
            counts_as_cpd=bool(counts_as_cpd),
            approved_provider=bool(approved_provider),
        )
        audit_record(
            actor=actor,
            action=Action.TRAINING_RECORDED,
            target=record,
            programme=audit_programme(actor, facilitator),
            data={
                "facilitator": facilitator.pk,
                "completed_on": completed_on.isoformat(),
                "hours": str(hours),
                "counts_as_cpd": record.counts_as_cpd,
            },
        )
    return record


def _hours(value: Any, reasons: list[str]) -> Decimal:
    try:
        hours = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal(0)
    if (
        not hours.is_finite()
        or hours <= 0
        or hours > TRAINING_HOURS_MAX
        or hours != hours.quantize(Decimal("0.01"))
    ):
        reasons.append(
            _("Give the hours as a number more than 0 and at most %(max)s, such as 1.5.")
            % {"max": TRAINING_HOURS_MAX}
        )
        return Decimal(0)
    return hours


def availability_add(
    *,
    actor: User,
    facilitator: User,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> AvailabilitySlot:
    """A facilitator adds a block to their usual week.

    Raises PermissionRefused for anyone but the facilitator and ApplicationError,
    adding nothing, for an unknown day, an end not after the start, or a block that
    overlaps one they already have that day.
    """
    facilitator_policy.require(actor, "edit_own", facilitator)
    reasons: list[str] = []
    if weekday not in Weekday.values:
        reasons.append(_("Choose a day of the week."))
    given: tuple[object, object] = (starts_at, ends_at)
    if not all(isinstance(each, datetime.time) for each in given):
        reasons.append(_("Give the times from and until."))
    elif ends_at <= starts_at:
        reasons.append(_("The end must be after the start."))
    if reasons:
        raise ApplicationError(_("The time was not added."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        overlapping = AvailabilitySlot.objects.filter(
            facilitator=facilitator, weekday=weekday, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).first()
        if overlapping is not None:
            raise ApplicationError(
                _("The time was not added."),
                reasons=[
                    _("It overlaps %(day)s %(start)s–%(end)s, which you already have.")
                    % {
                        "day": Weekday(overlapping.weekday).label,
                        "start": overlapping.starts_at.strftime("%H:%M"),
                        "end": overlapping.ends_at.strftime("%H:%M"),
                    }
                ],
            )
        slot = AvailabilitySlot.objects.create(
            facilitator=facilitator, weekday=weekday, starts_at=starts_at, ends_at=ends_at
        )
        audit_record(
            actor=actor,
            action=Action.AVAILABILITY_ADDED,
            target=slot,
            programme=audit_programme(actor, facilitator),
            data={"facilitator": facilitator.pk, "weekday": weekday},
        )
    return slot


def availability_remove(*, actor: User, slot: AvailabilitySlot) -> None:
    """A facilitator takes a block out of their usual week (gone already: nothing to do).

    Raises PermissionRefused for anyone but the facilitator."""
    facilitator = User.objects.get(pk=slot.facilitator_id)
    facilitator_policy.require(actor, "edit_own", facilitator)
    with transaction.atomic():
        lock_facilitator(facilitator)
        deleted, _rows = AvailabilitySlot.objects.filter(pk=slot.pk).delete()
        if deleted:
            audit_record(
                actor=actor,
                action=Action.AVAILABILITY_REMOVED,
                target=slot,
                programme=audit_programme(actor, facilitator),
                data={"facilitator": facilitator.pk, "weekday": slot.weekday},
            )


def away_add(
    *, actor: User, facilitator: User, starts_on: datetime.date, ends_on: datetime.date
) -> AwayPeriod:
    """A facilitator says when they are away (holiday, leave): both days included.

    Raises PermissionRefused for anyone but the facilitator and ApplicationError,
    adding nothing, for an end before the start, a period already over, or one that
    overlaps a period away they already gave.
    """
    facilitator_policy.require(actor, "edit_own", facilitator)
    reasons: list[str] = []
    if not is_date(starts_on) or not is_date(ends_on):
        reasons.append(_("Give the first and the last day away."))
    elif ends_on < starts_on:
        reasons.append(_("The last day cannot be before the first."))
    elif ends_on < timezone.localdate():
        reasons.append(_("That period is over already."))
    if reasons:
        raise ApplicationError(_("The period away was not added."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        overlapping = AwayPeriod.objects.filter(
            facilitator=facilitator, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if overlapping is not None:
            raise ApplicationError(
                _("The period away was not added."),
                reasons=[
                    _("It overlaps your period away from %(start)s to %(end)s.")
                    % {
                        "start": overlapping.starts_on.isoformat(),
                        "end": overlapping.ends_on.isoformat(),
                    }
                ],
            )
        period = AwayPeriod.objects.create(
            facilitator=facilitator, starts_on=starts_on, ends_on=ends_on
        )
        audit_record(
            actor=actor,
            action=Action.AWAY_ADDED,
            target=period,
            programme=audit_programme(actor, facilitator),
            data={
                "facilitator": facilitator.pk,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
    return period


def away_remove(*, actor: User, period: AwayPeriod) -> None:
    """A facilitator withdraws a period away (gone already: nothing to do).

    Raises PermissionRefused for anyone but the facilitator."""
    facilitator = User.objects.get(pk=period.facilitator_id)
    facilitator_policy.require(actor, "edit_own", facilitator)
    with transaction.atomic():
        lock_facilitator(facilitator)
        deleted, _rows = AwayPeriod.objects.filter(pk=period.pk).delete()
        if deleted:
            audit_record(
                actor=actor,
                action=Action.AWAY_REMOVED,
                target=period,
                programme=audit_programme(actor, facilitator),
                data={"facilitator": facilitator.pk},
            )
