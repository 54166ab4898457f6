"""Sending a participant their survey link, receiving their answers through it, and
entering answers given on paper."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.permissions import participant_policy
from amends.core.errors import ApplicationError, ConflictError
from amends.crypto.keys import encrypt_str
from amends.followups import instruments, jobs, selectors
from amends.followups.links import LinkState, SurveyLinkRefused, link_state, new_token, token_hash
from amends.followups.models import (
    CheckIn,
    ResponseMethod,
    SurveyAnswer,
    SurveyInstrument,
    SurveyInvitation,
    SurveyResponse,
)
from amends.followups.services._common import locked_open_case
from amends.followups.services.instruments import survey_instruments_setup_defaults
from amends.people.models import ContactChannel
from amends.programmes.selectors import settings_for


def _survey_problems(participant: Participant) -> list[str]:
    """Why this participant cannot be given the survey (whatever the channel)."""
    if participant.role not in selectors.AUDIENCE_OF_ROLE:
        return [_("Only the person harmed and the person responsible are asked to the survey.")]
    if not CheckIn.objects.filter(participant_id=participant.pk).exists():
        return [_("No follow-up is planned with this person, so they are not sent the survey.")]
    if SurveyResponse.objects.filter(participant_id=participant.pk).exists():
        return [_("This person has already answered the survey.")]
    return []


def _instrument_for(participant: Participant, case: Case) -> SurveyInstrument:
    audience = selectors.AUDIENCE_OF_ROLE[ParticipantRole(participant.role)]
    instrument = selectors.current_instrument(case.programme, audience)
    if instrument is None:
        # The system gives a programme set up before surveys existed its default ones.
        survey_instruments_setup_defaults(actor=None, programme=case.programme)
        instrument = selectors.current_instrument(case.programme, audience)
    if instrument is None:  # pragma: no cover - the set-up above has just made it
        raise RuntimeError("the default survey instruments were not created")
    return instrument


def _revoke_open_links(participant: Participant, now: datetime.datetime) -> list[int]:
    """Stop earlier links working: only the newest link, or paper, counts."""
    revoked = list(
        SurveyInvitation.objects.select_for_update().filter(
            participant_id=participant.pk, answered_at__isnull=True, revoked_at__isnull=True
        )
    )
    for invitation in revoked:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return [invitation.pk for invitation in revoked]


def _email_channel_or_refusal(participant: Participant) -> ContactChannel:
    reasons = _survey_problems(participant)
    channel = None if reasons else selectors.survey_email_channel(participant, timezone.localdate())
    if channel is not None:
        return channel
    if not reasons:
        reasons.append(
            _(
                "There is no e-mail address for this person that is marked safe and that "
                "they agreed to, so no link can be sent. You can go through the survey "
                "with them and enter their answers from paper."
            )
        )
    raise ApplicationError(_("The survey was not sent."), reasons=reasons)


def _audit_sent(actor: User, invitation: SurveyInvitation, revoked: list[int]) -> None:
    audit_record(
        actor=actor,
        action=Action.SURVEY_SENT,
        target=invitation,
        programme=invitation.case.programme,
        data={
            "case": invitation.case_id,
            "participant": invitation.participant_id,
            "instrument_version": invitation.instrument.version,
            "channel": invitation.channel_id,
            "expires_at": invitation.expires_at.isoformat(),
            "revoked": revoked,
        },
    )


def survey_send(*, actor: User, participant: Participant) -> SurveyInvitation:
    """E-mail a participant a personal link to their survey and return the invitation.

    Only to an e-mail address of their own that is marked safe and that they have not
    asked not to be used (G10, G9); the message carries the link and the programme's
    name, nothing about the case or the other party. The link works once, for the
    programme's `survey_link_valid_days`; a new link makes earlier ones stop working. The
    e-mail leaves after the transaction commits.

    Only the people working on the case may send it (PermissionRefused). Raises
    ApplicationError, changing nothing, for a closed case, someone other than the person
    harmed or responsible, someone with no follow-up planned, someone who has already
    answered, or no safe e-mail address (then answers can be entered from paper).
    """
    now = timezone.now()
    with transaction.atomic():
        case = locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        locked = (
            Participant.objects.select_for_update().select_related("person").get(pk=participant.pk)
        )
        channel = _email_channel_or_refusal(locked)
        instrument = _instrument_for(locked, case)
        valid_days = settings_for(case.programme).survey_link_valid_days
        revoked = _revoke_open_links(locked, now)
        token = new_token()
        invitation = SurveyInvitation.objects.create(
            case=case,
            participant=locked,
            instrument=instrument,
            token_hash=token_hash(token),
            channel=channel,
            language=selectors.survey_language(locked),
            sent_by=actor,
            expires_at=now + datetime.timedelta(days=valid_days),
        )
        _audit_sent(actor, invitation, revoked)
        # The queue is a database table: the token travels through it encrypted.
        sealed = encrypt_str(token)
        transaction.on_commit(
            lambda: jobs.send_survey_invitation.enqueue(
                invitation_id=invitation.pk, sealed_token=sealed
            )
        )
    return invitation


def _store_answers(response: SurveyResponse, answers: list[instruments.CleanAnswer]) -> None:
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(
                response=response,
                question_key=answer.key,
                number=answer.number,
                choice=answer.choice,
                text=answer.text,
            )
            for answer in answers
        ]
    )


def survey_answer(
    *, actor: User | AnonymousUser | None, token: str, answers: Mapping[str, Any]
) -> SurveyResponse:
    """Store the answers given through a survey link (free text encrypted) and use the
    link up. `answers` maps question keys to answers; they are checked against the version
    of the survey the link was sent with.

    `actor` is whoever opened the link (usually nobody signed in). Raises
    SurveyLinkRefused, changing nothing, for an unknown, expired, replaced or used link,
    and ApplicationError, changing nothing and leaving the link usable, for answers that
    are not possible ones (a scale answer out of 1–5, a choice not offered, a question the
    survey does not have, no answer at all).
    """
    hashed = token_hash(token)
    with transaction.atomic():
        found = SurveyInvitation.objects.filter(token_hash=hashed).values("participant_id").first()
        if found is None:
            raise SurveyLinkRefused(LinkState.UNKNOWN)
        # The participant first, as every survey service locks it: answers from paper
        # entered at the same moment wait, then see this answer (and the other way round).
        Participant.objects.select_for_update().filter(pk=found["participant_id"]).first()
        invitation = (
            SurveyInvitation.objects.select_for_update()
            .select_related("instrument", "case__programme")
            .get(token_hash=hashed)
        )
        state = link_state(invitation, timezone.now())
        if state != LinkState.VALID:
            raise SurveyLinkRefused(state)
        cleaned, reasons = instruments.clean_answers(invitation.instrument.questions, answers)
        if reasons:
            raise ApplicationError(_("Your answers were not saved."), reasons=reasons)
        response = SurveyResponse.objects.create(
            case=invitation.case,
            participant_id=invitation.participant_id,
            instrument=invitation.instrument,
            invitation=invitation,
            method=ResponseMethod.ONLINE,
        )
        _store_answers(response, cleaned)
        invitation.answered_at = response.submitted_at
        invitation.save(update_fields=["answered_at", "updated_at"])
        _audit_answered(actor, response, invitation.case, cleaned)
    return response


def _audit_answered(
    actor: User | AnonymousUser | None,
    response: SurveyResponse,
    case: Case,
    answers: list[instruments.CleanAnswer],
) -> None:
    audit_record(
        actor=actor,
        action=Action.SURVEY_ANSWERED,
        target=response,
        programme=case.programme,
        # Which questions were answered, never what was answered.
        data={
            "case": case.pk,
            "participant": response.participant_id,
            "method": response.method,
            "instrument_version": response.instrument.version,
            "answered": [answer.key for answer in answers],
        },
    )


def survey_response_record(
    *, actor: User, participant: Participant, answers: Mapping[str, Any]
) -> SurveyResponse:
    """Enter the answers a participant gave on paper (or over the phone) to the current
    version of their survey; any link sent to them stops working.

    Only the people working on the case may enter them (PermissionRefused). Raises
    ApplicationError, changing nothing, for a closed case, someone not asked to the
    survey, someone with no follow-up planned, or answers that are not possible ones, and
    ConflictError when the person has already answered.
    """
    with transaction.atomic():
        case = locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if SurveyResponse.objects.filter(participant_id=locked.pk).exists():
            raise ConflictError(_("This person has already answered the survey."))
        reasons = _survey_problems(locked)
        if reasons:
            raise ApplicationError(_("The answers were not saved."), reasons=reasons)
        instrument = _instrument_for(locked, case)
        cleaned, reasons = instruments.clean_answers(instrument.questions, answers)
        if reasons:
            raise ApplicationError(_("The answers were not saved."), reasons=reasons)
        _revoke_open_links(locked, timezone.now())
        response = SurveyResponse.objects.create(
            case=case,
            participant=locked,
            instrument=instrument,
            method=ResponseMethod.PAPER,
            recorded_by=actor,
        )
        _store_answers(response, cleaned)
        _audit_answered(actor, response, case, cleaned)
    return response
