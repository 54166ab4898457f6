"""Referring a participant to a support partner, and the loop that follows."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.selectors import participant_label
from amends.cases.stages import CaseStage
from amends.consent.models import ConsentKind
from amends.core.errors import ApplicationError
from amends.support import selectors
from amends.support.models import (
    NEXT_STATUSES,
    Partner,
    ReferralEvent,
    ReferralStatus,
    ServiceType,
    SupportReferral,
)
from amends.support.permissions import support_case_policy, support_referral_policy
from amends.tasks.services import support_task_key, tasks_complete_by_key

NOTE_MAX_LENGTH = 4000


def _date_problems(
    day: datetime.date | None, *, not_before: datetime.date, today: datetime.date
) -> list[str]:
    if day is None:
        return [_("Give the date.")]
    if day > today:
        return [_("The date cannot be in the future.")]
    if day < not_before:
        return [_("The date cannot be before %(date)s.") % {"date": not_before.isoformat()}]
    return []


def _consent_problems(
    participant: Participant, partner: Partner, today: datetime.date
) -> list[str]:
    have = selectors.share_consents(participant, partner, today)
    values = {
        "person": participant_label(participant, participant.case.programme),
        "partner": partner.name,
    }
    messages = {
        ConsentKind.CONSENT: _(
            "%(person)s has no active consent to share information with %(partner)s: record "
            "their consent first (consent page, “Share information with a partner”)."
        ),
        ConsentKind.GUARDIAN: _(
            "%(person)s is under 18: a parent or guardian has not consented to sharing "
            "information with %(partner)s."
        ),
        ConsentKind.ASSENT: _(
            "%(person)s is under 18 and has not given their own assent to sharing information "
            "with %(partner)s."
        ),
    }
    return [
        messages[ConsentKind(kind)] % values
        for kind in selectors.kinds_needed(participant, today)
        if kind not in have
    ]


def _send_problems(
    case: Case,
    participant: Participant,
    partner: Partner,
    service_type: str,
    sent_on: datetime.date | None,
    note: str,
) -> list[str]:
    today = timezone.localdate()
    if participant.case_id != case.pk:
        return [_("That person is not part of this case.")]
    if partner.programme_id != case.programme_id:
        return [_("That partner is not in this programme's directory.")]
    reasons = []
    if not partner.is_active:
        reasons.append(
            _("%(partner)s does not take referrals at the moment.") % {"partner": partner.name}
        )
    if service_type not in ServiceType.values:
        reasons.append(_("Choose the service the person is referred for."))
    elif service_type not in partner.service_types:
        reasons.append(
            _("%(partner)s does not offer %(service)s.")
            % {"partner": partner.name, "service": ServiceType(service_type).label.lower()}
        )
    elif selectors.open_referral_exists(participant, partner, service_type):
        reasons.append(_("This person is already referred to this partner for this service."))
    reasons += _date_problems(
        sent_on, not_before=timezone.localtime(case.created_at).date(), today=today
    )
    if len(note) > NOTE_MAX_LENGTH:
        reasons.append(_("The note must be at most 4000 characters."))
    reasons += _consent_problems(participant, partner, today)
    return reasons


def support_referral_send(
    *,
    actor: User,
    case: Case,
    participant: Participant,
    partner: Partner,
    service_type: str,
    note: str = "",
    sent_on: datetime.date | None = None,
) -> SupportReferral:
    """Refer a participant to a partner of the programme's directory for one of its
    services. Refused unless the participant has active consent in the ledger to share
    information with that partner (for a minor, a guardian's consent and their own
    assent). Referring the person harmed completes the case's statutory "refer to
    support" task. The note (what was asked for and shared) is encrypted.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    note = note.strip()
    sent_on = sent_on or timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("programme").get(pk=case.pk)
        support_case_policy.require(actor, "work", locked)
        message = _("The referral was not sent.")
        if locked.stage == CaseStage.CLOSED:
            raise ApplicationError(message, reasons=[_("The case is closed.")])
        reasons = _send_problems(locked, participant, partner, service_type, sent_on, note)
        if reasons:
            raise ApplicationError(message, reasons=reasons)
        consents = selectors.share_consents(participant, partner, timezone.localdate())
        relied_on = consents.get(ConsentKind.CONSENT) or consents[ConsentKind.GUARDIAN]
        referral = SupportReferral.objects.create(
            case=locked,
            participant=participant,
            partner=partner,
            service_type=service_type,
            note=note,
            consent=relied_on,
            referred_by=actor,
            sent_on=sent_on,
            changed_on=sent_on,
        )
        ReferralEvent.objects.create(
            referral=referral, status=ReferralStatus.SENT, happened_on=sent_on, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.SUPPORT_REFERRAL_SENT,
            target=referral,
            programme=locked.programme,
            data={
                "case": locked.pk,
                "participant": participant.pk,
                "partner": partner.pk,
                "service_type": service_type,
                "sent_on": sent_on.isoformat(),
                "consent": [entry.pk for entry in consents.values()],
            },
        )
        if participant.role == ParticipantRole.HARMED:
            tasks_complete_by_key(actor=actor, key=support_task_key(locked))
    return referral


def support_referral_update(
    *,
    actor: User,
    referral: SupportReferral,
    status: str,
    happened_on: datetime.date | None,
    note: str = "",
) -> SupportReferral:
    """Move a referral on in its loop: the partner accepted or declined it, the support
    was completed, or the referral was withdrawn (by the person, or by the people
    working on the case). Each step is dated (not in the future, not before the last
    step), kept as an event with its note (encrypted) and audited; an answer closes any
    "no answer yet" reminder. Recording the state it is already in changes nothing.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    note = note.strip()
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=referral.case_id)
        locked = (
            SupportReferral.objects.select_for_update()
            .select_related("case__programme", "participant", "partner")
            .get(pk=referral.pk)
        )
        support_referral_policy.require(actor, "update", locked)
        if status == locked.status:
            return locked
        message = _("The referral was not updated.")
        allowed = NEXT_STATUSES.get(locked.status, frozenset())
        if status not in allowed:
            raise ApplicationError(message, reasons=[_cannot_move(locked.status, status)])
        reasons = _date_problems(
            happened_on, not_before=locked.changed_on, today=timezone.localdate()
        )
        if len(note) > NOTE_MAX_LENGTH:
            reasons.append(_("The note must be at most 4000 characters."))
        if reasons or happened_on is None:
            raise ApplicationError(message, reasons=reasons)
        old = locked.status
        locked.status, locked.changed_on = status, happened_on
        locked.save(update_fields=["status", "changed_on", "updated_at"])
        ReferralEvent.objects.create(
            referral=locked, status=status, happened_on=happened_on, note=note, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.SUPPORT_REFERRAL_CHANGED,
            target=locked,
            programme=locked.case.programme,
            data={
                "case": locked.case_id,
                "old_status": old,
                "new_status": status,
                "happened_on": happened_on.isoformat(),
            },
        )
        if old == ReferralStatus.SENT:
            for key in selectors.open_no_answer_keys(locked):
                tasks_complete_by_key(actor=actor, key=key)
    return locked


def _cannot_move(current: str, wanted: str) -> str:
    if current not in NEXT_STATUSES:
        return _("The referral is %(status)s; it cannot change any more.") % {
            "status": ReferralStatus(current).label.lower()
        }
    if wanted not in ReferralStatus.values:
        return _("Choose what happened.")
    return _("A referral that is %(current)s cannot become %(wanted)s.") % {
        "current": ReferralStatus(current).label.lower(),
        "wanted": ReferralStatus(wanted).label.lower(),
    }
