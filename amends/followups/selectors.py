"""Reads about follow-up: who is followed up, what is still to do before a case may close,
the survey a participant gets, and the follow-up pages.

Views reach the page selectors only after loading the case or participant through its
policy (hidden → 404); whether answers and notes are shown is the caller's decision
(`permissions.may_read_answers`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amends.cases.models import Case, Participant, ParticipantRole, StageChange
from amends.cases.stages import CaseStage
from amends.consent import ledger
from amends.consent.selectors import channel_label
from amends.followups import instruments
from amends.followups.links import LinkState, link_state, token_hash
from amends.followups.models import (
    CheckIn,
    SurveyAnswer,
    SurveyAudience,
    SurveyInstrument,
    SurveyInvitation,
    SurveyResponse,
)
from amends.people.models import ContactChannel
from amends.programmes.models import Programme
from amends.programmes.selectors import settings_for

AUDIENCE_OF_ROLE = {
    ParticipantRole.HARMED: SurveyAudience.HARMED,
    ParticipantRole.RESPONSIBLE: SurveyAudience.RESPONSIBLE,
}


# The cases app reads `follow_up_unmet` and calls this app's services from its own
# selectors and services, so the two cases helpers below are imported where they are used:
# at the top of the module the two apps would import each other.
def participant_label(participant: Participant, programme: Programme) -> str:
    """The case's usual label for a participant ("Hana H. (person harmed)")."""
    from amends.cases.selectors import participant_label as label

    return label(participant, programme)


def _contact_problems(
    participant: Participant, channel: ContactChannel, today: datetime.date
) -> list[str]:
    from amends.cases.services.participants import contact_problems

    return contact_problems(participant, "email", channel, today)


def follow_up_offsets(programme: Programme) -> list[int]:
    """The programme's check-in offsets in days: positive whole numbers, each once, in
    order (anything else in the setting is ignored rather than trusted)."""
    offsets = settings_for(programme).follow_up_offsets_days
    if not isinstance(offsets, list):
        return []
    return sorted(
        {day for day in offsets if isinstance(day, int) and not isinstance(day, bool) and day > 0}
    )


def follow_up_start(case: Case) -> datetime.date:
    """The day the process ended: the latest entry into `follow_up`, else today."""
    entered = (
        StageChange.objects.filter(case_id=case.pk, to_stage=CaseStage.FOLLOW_UP)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(entered) if entered is not None else timezone.localdate()


def followed_up_participants(case: Case) -> list[Participant]:
    """The key participants to follow up: the person harmed and the person responsible,
    except anyone whose withdrawal from taking part (or from the processing of their
    data) stands (G9: no contact they did not agree to)."""
    participants = (
        case.participants.filter(role__in=list(AUDIENCE_OF_ROLE))
        .select_related("person")
        .prefetch_related("consent_entries")
        .order_by("id")
    )
    return [
        participant
        for participant in participants
        if not ledger.outstanding_withdrawals(participant.consent_entries.all())
    ]


def follow_up_unmet(case: Case) -> list[str]:
    """Why follow-up is not done yet, in plain words; empty when it is. Each person
    followed up must have every check-in recorded, or "not possible" recorded with a
    reason; someone followed up with no check-in planned means the plan never ran."""
    planned_offsets = follow_up_offsets(case.programme)
    check_ins = list(CheckIn.objects.filter(case_id=case.pk).order_by("due_on", "id"))
    by_participant: dict[int, list[CheckIn]] = {}
    for check_in in check_ins:
        by_participant.setdefault(check_in.participant_id, []).append(check_in)
    people = {participant.pk: participant for participant in followed_up_participants(case)}
    # Someone who withdrew after their check-ins were planned still has them to close.
    for participant in Participant.objects.select_related("person").filter(
        pk__in=list(by_participant.keys() - people.keys())
    ):
        people[participant.pk] = participant
    reasons = []
    for participant_id in sorted(people):
        label = participant_label(people[participant_id], case.programme)
        theirs = by_participant.get(participant_id, [])
        if not theirs and planned_offsets:
            reasons.append(
                _("No follow-up check-in is planned with %(person)s.") % {"person": label}
            )
        pending = [check_in for check_in in theirs if not check_in.is_recorded]
        if pending:
            reasons.append(
                ngettext(
                    "The follow-up check-in with %(person)s due on %(dates)s is not recorded yet.",
                    "The follow-up check-ins with %(person)s due on %(dates)s are not recorded "
                    "yet.",
                    len(pending),
                )
                % {
                    "person": label,
                    "dates": ", ".join(check_in.due_on.isoformat() for check_in in pending),
                }
            )
    return reasons


def check_in_task_key(check_in: CheckIn) -> str:
    """The key of the task that asks for a check-in; recording it completes the task."""
    return f"check_in:{check_in.pk}"


def support_suggestion_task_key(check_in: CheckIn) -> str:
    """The key of the task suggesting a support referral after a check-in."""
    return f"check_in:{check_in.pk}:support"


# --- surveys -----------------------------------------------------------------------------
def current_instrument(programme: Programme, audience: str) -> SurveyInstrument | None:
    """The latest version of the programme's survey for this audience."""
    return (
        SurveyInstrument.objects.filter(programme_id=programme.pk, audience=audience)
        .order_by("-version")
        .first()
    )


def survey_email_channel(participant: Participant, today: datetime.date) -> ContactChannel | None:
    """The e-mail address a survey may go to: the participant's own, marked safe, not
    withdrawn, and after a withdrawal only one they agreed to be contacted on (G10, G9).
    The newest such address, as the most likely to be current."""
    channels = ContactChannel.objects.filter(
        person_id=participant.person_id, kind=ContactChannel.Kind.EMAIL, is_safe=True
    ).order_by("-created_at", "-id")
    for channel in channels:
        if email_channel_usable(participant, channel, today):
            return channel
    return None


def email_channel_usable(
    participant: Participant, channel: ContactChannel, today: datetime.date
) -> bool:
    """May a survey e-mail go to this channel today (the rules of `contact_problems`)?"""
    return channel.kind == ContactChannel.Kind.EMAIL and not _contact_problems(
        participant, channel, today
    )


def survey_language(participant: Participant) -> str:
    """The language the survey is sent in: the person's own if Amends has it, else the
    programme's default, else the site's."""
    available = [code for code, _name in settings.LANGUAGES]
    wanted = (participant.person.preferred_language or "").lower()
    default = settings_for(participant.case.programme).default_language
    for candidate in (wanted, wanted.split("-")[0], default):
        if candidate in available:
            return candidate
    return str(settings.LANGUAGE_CODE)


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation a link's token belongs to, or None."""
    return (
        SurveyInvitation.objects.select_related("instrument", "case__programme")
        .filter(token_hash=token_hash(token))
        .first()
    )


# --- the follow-up pages ------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerLine:
    question: str
    answer: str


@dataclass(frozen=True)
class SurveyStatus:
    """Where a participant's survey stands, in words, with the latest invitation."""

    text: str
    is_answered: bool
    invitation: SurveyInvitation | None


@dataclass
class ParticipantFollowUp:
    participant: Participant
    label: str
    check_ins: list[CheckIn]
    survey: SurveyStatus
    email_channel: str = ""
    answers: list[AnswerLine] = field(default_factory=list)

    @property
    def pending(self) -> list[CheckIn]:
        return [check_in for check_in in self.check_ins if not check_in.is_recorded]


def _survey_status(
    response: SurveyResponse | None, invitations: list[SurveyInvitation]
) -> SurveyStatus:
    latest = invitations[0] if invitations else None
    if response is not None:
        text = _("Answered on %(date)s (%(how)s).") % {
            "date": timezone.localdate(response.submitted_at).isoformat(),
            "how": response.get_method_display().lower(),
        }
        return SurveyStatus(text, True, latest)
    if latest is None:
        return SurveyStatus(_("Not sent."), False, None)
    values = {
        "sent": timezone.localdate(latest.created_at).isoformat(),
        "until": timezone.localdate(latest.expires_at).isoformat(),
    }
    if link_state(latest, timezone.now()) == LinkState.VALID:
        text = _("Link sent on %(sent)s; it works until %(until)s.") % values
    else:
        text = _("The link sent on %(sent)s was not answered and no longer works.") % values
    return SurveyStatus(text, False, latest)


def _answer_lines(response: SurveyResponse) -> list[AnswerLine]:
    questions = {str(question["key"]): question for question in response.instrument.questions}
    lines = []
    for answer in response.answers.all():
        question = questions.get(answer.question_key)
        if question is None:
            continue
        lines.append(
            AnswerLine(
                question=instruments.display_text(question["text"]),
                answer=instruments.answer_label(
                    question, answer.number, answer.choice, answer.text
                ),
            )
        )
    return lines


def participant_follow_ups(
    participants: list[Participant], *, with_answers: bool
) -> list[ParticipantFollowUp]:
    """Each participant's check-ins and survey status (and, when `with_answers`, their
    answers and the address a survey would go to), in a fixed number of queries."""
    if not participants:
        return []
    case = participants[0].case
    ids = [participant.pk for participant in participants]
    check_ins: dict[int, list[CheckIn]] = {pk: [] for pk in ids}
    for check_in in CheckIn.objects.filter(participant_id__in=ids).select_related("recorded_by"):
        check_ins[check_in.participant_id].append(check_in)
    invitations: dict[int, list[SurveyInvitation]] = {pk: [] for pk in ids}
    for invitation in SurveyInvitation.objects.filter(participant_id__in=ids).order_by(
        "-created_at", "-id"
    ):
        invitations[invitation.participant_id].append(invitation)
    responses = {
        response.participant_id: response
        for response in SurveyResponse.objects.filter(participant_id__in=ids)
        .select_related("instrument")
        .prefetch_related(Prefetch("answers", queryset=SurveyAnswer.objects.order_by("id")))
    }
    today = timezone.localdate()
    result = []
    for participant in participants:
        response = responses.get(participant.pk)
        item = ParticipantFollowUp(
            participant=participant,
            label=participant_label(participant, case.programme),
            check_ins=sorted(check_ins[participant.pk], key=lambda c: (c.due_on, c.pk)),
            survey=_survey_status(response, invitations[participant.pk]),
        )
        if with_answers:
            channel = survey_email_channel(participant, today)
            item.email_channel = channel_label(channel) if channel is not None else ""
            item.answers = _answer_lines(response) if response is not None else []
        result.append(item)
    return result


def case_follow_up_participants(case: Case) -> list[Participant]:
    """The participants the case's follow-up page shows: its key participants (the only
    ones with check-ins and surveys)."""
    return list(
        Participant.objects.filter(case_id=case.pk, role__in=list(AUDIENCE_OF_ROLE))
        .select_related("person", "case__programme")
        .order_by("id")
    )


def survey_instrument_for(participant: Participant) -> SurveyInstrument | None:
    """The survey version a participant would be sent, or answers from paper entered on
    (None for someone not asked to the survey). A programme without surveys yet reads
    the defaults, unsaved: they are saved with the first survey sent or entered."""
    audience = AUDIENCE_OF_ROLE.get(ParticipantRole(participant.role))
    if audience is None:
        return None
    programme = participant.case.programme
    return current_instrument(programme, audience) or SurveyInstrument(
        programme=programme,
        audience=audience,
        version=1,
        title=instruments.DEFAULT_TITLE,
        questions=instruments.tidy_questions(instruments.DEFAULT_QUESTIONS[audience]),
    )
