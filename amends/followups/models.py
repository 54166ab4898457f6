"""Follow-up check-ins and surveys after the process (DESIGN §2 Follow-up).

A check-in is a planned call to a key participant some days after the process ended; its
outcome is recorded once. A survey instrument is versioned like the programme's templates:
a new version never changes an old one, and each invitation and response keeps the
version it was sent with. The survey link's token is never stored, only its hash, so a
copy of the database cannot be used to answer in someone's name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.people.models import ContactChannel
from amends.programmes.models import Programme

LOWEST_WELLBEING = 1
HIGHEST_WELLBEING = 5


class SurveyAudience(models.TextChoices):
    HARMED = "harmed", _("People harmed")
    RESPONSIBLE = "responsible", _("People responsible")


class SurveyInstrument(models.Model):
    """One version of a survey for one audience. `questions` is a list of objects checked
    by `followups.instruments.question_problems`: each has a key, a kind (likert, choice,
    yes_no, free_text) and a text; likert questions have five labels, choice questions
    their options."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="survey_instruments"
    )
    audience = models.CharField(_("for"), max_length=16, choices=SurveyAudience.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    questions = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "audience", "-version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "audience", "version"],
                name="survey_instrument_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Survey instrument {self.audience} v{self.version}"


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Not yet recorded")
    REACHED = "reached", _("Spoke with them")
    NOT_REACHED = "not_reached", _("Could not reach them")
    DECLINED = "declined", _("They did not want to talk")
    NOT_POSSIBLE = "not_possible", _("Follow-up not possible")


# What a person recording a call may choose; "not possible" has its own service.
CALL_OUTCOMES = (CheckInStatus.REACHED, CheckInStatus.NOT_REACHED, CheckInStatus.DECLINED)


class CheckIn(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="check_ins")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="check_ins")
    offset_days = models.PositiveIntegerField(_("days after the process"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("outcome"),
        max_length=16,
        choices=CheckInStatus.choices,
        default=CheckInStatus.PLANNED,
        editable=False,
    )
    occurred_on = models.DateField(_("date of the call"), null=True, blank=True)
    wellbeing = models.PositiveSmallIntegerField(_("wellbeing"), null=True, blank=True)
    further_support_needed = models.BooleanField(_("further support needed"), default=False)
    # What was said, or why follow-up is not possible: case content, encrypted.
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "due_on", "participant", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "offset_days"], name="check_in_once_per_offset"
            ),
            models.CheckConstraint(
                condition=(models.Q(status="planned") & models.Q(recorded_at__isnull=True))
                | (~models.Q(status="planned") & models.Q(recorded_at__isnull=False)),
                name="check_in_recorded_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(wellbeing__isnull=True)
                | (
                    models.Q(status="reached")
                    & models.Q(wellbeing__gte=LOWEST_WELLBEING)
                    & models.Q(wellbeing__lte=HIGHEST_WELLBEING)
                ),
                name="check_in_wellbeing_when_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in #{self.pk}"

    @property
    def is_recorded(self) -> bool:
        return self.status != CheckInStatus.PLANNED


class SurveyInvitation(BaseModel):
    """A personal survey link sent by e-mail: valid until `expires_at`, used once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="survey_invitations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.PROTECT, related_name="+")
    # SHA-256 of the token in the link; the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.ForeignKey(ContactChannel, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # A newer link, or answers entered from paper, makes this one stop working.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "-created_at", "-id"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"Survey invitation #{self.pk}"


class ResponseMethod(models.TextChoices):
    ONLINE = "online", _("Answered online")
    PAPER = "paper", _("Answered on paper, entered by staff")


class SurveyResponse(models.Model):
    """A participant's answers to the survey: one per participant in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="survey_responses")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="survey_response"
    )
    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.PROTECT, related_name="+")
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    method = models.CharField(_("how"), max_length=8, choices=ResponseMethod.choices)
    # The member of staff who typed in a paper survey; None when answered online.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "submitted_at", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(method="online") & models.Q(invitation__isnull=False))
                | (models.Q(method="paper") & models.Q(recorded_by__isnull=False)),
                name="survey_response_method_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"Survey response #{self.pk}"


class SurveyAnswer(models.Model):
    """One answer. Scales and choices are kept plain for later aggregates; what a person
    wrote in their own words is encrypted."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=40)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=40, blank=True)
    text = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["response", "id"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_key"], name="survey_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Survey answer #{self.pk}"
