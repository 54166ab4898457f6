"""Evidence about a facilitator that someone else records: accreditations, endorsements,
supervision sessions and observed practice (G6).

Only a coordinator or supervisor of a programme the facilitator works in records them,
and never for themselves: a record of one's own accreditation or supervision is no
evidence of it (the policy's `record_standing`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError, PermissionRefused
from amends.facilitators.models import (
    Accreditation,
    AccreditationLevel,
    EndorsementRecord,
    ObservedPractice,
    SupervisionSession,
)
from amends.facilitators.permissions import (
    MANAGER_ROLES,
    facilitating_programme_ids,
    facilitator_policy,
)
from amends.facilitators.services._common import (
    audit_programme,
    is_date,
    lock_facilitator,
    optional_text,
    required_text,
)
from amends.programmes.models import Endorsement


def _require_recorder(actor: User, facilitator: User) -> None:
    if actor.pk == facilitator.pk:
        raise PermissionRefused(
            _(
                "Your own accreditation, endorsements, supervision and observed practice are "
                "recorded by a coordinator or supervisor, not by you."
            )
        )
    facilitator_policy.require(actor, "record_standing", facilitator)


def _period_problems(valid_from: Any, valid_to: Any, *, open_ended: bool) -> list[str]:
    if not is_date(valid_from):
        return [_("Give the date it is valid from.")]
    if valid_to is None and open_ended:
        return []
    if not is_date(valid_to):
        return [_("Give the date it is valid until.")]
    if valid_to < valid_from:
        return [_("It cannot end before it starts.")]
    return []


def accreditation_record(
    *,
    actor: User,
    facilitator: User,
    level: str,
    issuer: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
) -> Accreditation:
    """Record a facilitator's accreditation (valid from and until, both days included).
    A renewal is a new accreditation; the same one recorded twice is kept once.

    Raises PermissionRefused for a facilitator recording their own and for anyone who
    does not coordinate or supervise in a programme the facilitator works in, and
    ApplicationError, recording nothing, for an unknown level, no issuer, or dates that
    end before they start.
    """
    _require_recorder(actor, facilitator)
    reasons: list[str] = []
    if level not in AccreditationLevel.values:
        reasons.append(_("Choose the level: foundation, intermediate or advanced."))
    issuer = required_text(issuer, what=_("who issued it"), reasons=reasons)
    reasons += _period_problems(valid_from, valid_to, open_ended=False)
    if reasons:
        raise ApplicationError(_("The accreditation was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        existing = Accreditation.objects.filter(
            facilitator=facilitator,
            level=level,
            issuer=issuer,
            valid_from=valid_from,
            valid_to=valid_to,
        ).first()
        if existing is not None:
            return existing
        accreditation = Accreditation.objects.create(
            facilitator=facilitator,
            recorded_by=actor,
            level=level,
            issuer=issuer,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit_record(
            actor=actor,
            action=Action.ACCREDITATION_RECORDED,
            target=accreditation,
            programme=audit_programme(actor, facilitator),
            data={
                "facilitator": facilitator.pk,
                "level": level,
                "issuer": issuer,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat(),
            },
        )
    return accreditation


def endorsement_record(
    *,
    actor: User,
    facilitator: User,
    endorsement: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    issuer: str = "",
) -> EndorsementRecord:
    """Record a specialist endorsement (domestic abuse, sexual harm, ...). Without
    `valid_to` it does not run out of itself, but counts only while the facilitator
    holds a valid accreditation. The same one recorded twice is kept once.

    Raises PermissionRefused as `accreditation_record` does, and ApplicationError,
    recording nothing, for an unknown endorsement or dates that end before they start.
    """
    _require_recorder(actor, facilitator)
    reasons: list[str] = []
    if endorsement not in Endorsement.values:
        reasons.append(_("Choose one of the endorsements offered."))
    issuer = optional_text(issuer, what=_("who issued it"), reasons=reasons)
    reasons += _period_problems(valid_from, valid_to, open_ended=True)
    if reasons:
        raise ApplicationError(_("The endorsement was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        existing = EndorsementRecord.objects.filter(
            facilitator=facilitator,
            endorsement=endorsement,
            valid_from=valid_from,
            valid_to=valid_to,
        ).first()
        if existing is not None:
            return existing
        record = EndorsementRecord.objects.create(
            facilitator=facilitator,
            recorded_by=actor,
            endorsement=endorsement,
            issuer=issuer,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit_record(
            actor=actor,
            action=Action.ENDORSEMENT_RECORDED,
            target=record,
            programme=audit_programme(actor, facilitator),
            data={
                "facilitator": facilitator.pk,
                "endorsement": endorsement,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
            },
        )
    return record


def _who_problems(
    facilitator: User, person: User | None, name: str, *, role_word: str
) -> list[str]:
    """The supervisor or observer is a user (a coordinator or supervisor of a programme
    the facilitator works in) or a named outsider; never the facilitator themselves."""
    if person is None:
        return [] if name else [_("Name the %(role)s.") % {"role": role_word}]
    if person.pk == facilitator.pk:
        return [_("Nobody can be their own %(role)s.") % {"role": role_word}]
    if not person.is_active or not (
        programme_ids_with_role(person, MANAGER_ROLES) & facilitating_programme_ids(facilitator)
    ):
        return [
            _(
                "%(name)s does not coordinate or supervise where this facilitator works: "
                "write their name instead."
            )
            % {"name": person.full_name or person.email}
        ]
    return []


def _past_date_problems(day: Any, *, what: str) -> list[str]:
    if not is_date(day):
        return [_("Give the date of the %(what)s.") % {"what": what}]
    if day > timezone.localdate():
        return [_("Record the %(what)s once it has happened.") % {"what": what}]
    return []


def supervision_record(
    *,
    actor: User,
    facilitator: User,
    held_on: datetime.date,
    supervisor: User | None = None,
    supervisor_name: str = "",
    notes: str = "",
) -> SupervisionSession:
    """Record a supervision session the facilitator had. The next one is due within the
    programme's interval (12 weeks by default) of the latest.

    Raises PermissionRefused as `accreditation_record` does, and ApplicationError,
    recording nothing, for a date in the future, no supervisor, or a supervisor who is
    the facilitator or holds no coordinator or supervisor role where they work.
    """
    _require_recorder(actor, facilitator)
    reasons: list[str] = []
    reasons += _past_date_problems(held_on, what=_("supervision session"))
    supervisor_name = optional_text(
        supervisor_name, what=_("the supervisor's name"), reasons=reasons
    )
    reasons += _who_problems(facilitator, supervisor, supervisor_name, role_word=_("supervisor"))
    if reasons:
        raise ApplicationError(_("The supervision was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        session = SupervisionSession.objects.create(
            facilitator=facilitator,
            recorded_by=actor,
            held_on=held_on,
            supervisor=supervisor,
            supervisor_name="" if supervisor else supervisor_name,
            notes=(notes or "").strip(),
        )
        audit_record(
            actor=actor,
            action=Action.SUPERVISION_RECORDED,
            target=session,
            programme=audit_programme(actor, facilitator),
            # The notes are encrypted and stay out of the log.
            data={
                "facilitator": facilitator.pk,
                "held_on": held_on.isoformat(),
                "supervisor": supervisor.pk if supervisor else None,
            },
        )
    return session


def observed_practice_record(
    *,
    actor: User,
    facilitator: User,
    observed_on: datetime.date,
    observer: User | None = None,
    observer_name: str = "",
    notes: str = "",
) -> ObservedPractice:
    """Record that someone observed the facilitator's practice (one a year is asked).

    Raises PermissionRefused as `accreditation_record` does, and ApplicationError,
    recording nothing, for a date in the future or no observer, or an observer who is
    the facilitator or holds no coordinator or supervisor role where they work.
    """
    _require_recorder(actor, facilitator)
    reasons: list[str] = []
    reasons += _past_date_problems(observed_on, what=_("observed session"))
    observer_name = optional_text(observer_name, what=_("the observer's name"), reasons=reasons)
    reasons += _who_problems(facilitator, observer, observer_name, role_word=_("observer"))
    if reasons:
        raise ApplicationError(_("The observed practice was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        observation = ObservedPractice.objects.create(
            facilitator=facilitator,
            recorded_by=actor,
            observed_on=observed_on,
            observer=observer,
            observer_name="" if observer else observer_name,
            notes=(notes or "").strip(),
        )
        audit_record(
            actor=actor,
            action=Action.OBSERVED_PRACTICE_RECORDED,
            target=observation,
            programme=audit_programme(actor, facilitator),
            data={
                "facilitator": facilitator.pk,
                "observed_on": observed_on.isoformat(),
                "observer": observer.pk if observer else None,
            },
        )
    return observation
