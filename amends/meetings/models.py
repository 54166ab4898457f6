"""Meetings, venues, invitations and session records (DESIGN §2 Meeting; G7, G8, G9, G10).

A meeting belongs to a case. Its status is written only by `meetings.services`; every
change raises `sequence`, which is the SEQUENCE of the iCalendar invitation the people
invited receive, so their calendars replace the old version instead of adding a new one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.programmes.models import Programme


class Venue(BaseModel):
    """A place of the programme's directory where meetings are held in person. An office
    or a community room, never anyone's home: its address may appear in invitations."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=120)
    address = models.TextField(_("address"))
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, accessible toilet, parking…"),
    )
    has_separate_waiting_areas = models.BooleanField(
        _("separate waiting areas available"),
        default=False,
        help_text=_("Two rooms where the parties can wait without seeing each other (G7)."),
    )
    # Staff-only practicalities (which door a party uses, who holds the keys): never sent
    # to anyone, so it cannot carry one party's arrangements to the other.
    notes = EncryptedTextField(_("notes for staff"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="venue_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation meeting")
    VICTIM_OFFENDER = "victim_offender", _("Victim–offender meeting")
    CONFERENCE = "conference", _("Conference")
    CIRCLE = "circle", _("Circle")
    REPARATION_PANEL = "panel", _("Reparation panel")
    CIRCLE_OF_SUPPORT = "cosa", _("Circle of Support and Accountability meeting")
    REVIEW = "review", _("Review meeting")
    FOLLOW_UP = "follow_up", _("Follow-up meeting")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")
    NOT_ATTENDED = "not_attended", _("Did not attend")


class CancelReason(models.TextChoices):
    DECIDED = "decided", _("Cancelled by staff")
    WITHDRAWAL = "withdrawal", _("Consent was withdrawn")


class Meeting(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    modality = models.CharField(_("how"), max_length=16, choices=Modality.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    separate_waiting_booked = models.BooleanField(_("separate waiting areas booked"), default=False)
    # The private video room's name: random, unguessable, and encrypted because whoever
    # holds the link can join the call.
    video_room = EncryptedTextField(blank=True, editable=False)
    # What the facilitator does when the session must stop for a while (video meetings).
    pause_plan = EncryptedTextField(_("if the session must pause"), blank=True)
    # The iCalendar UID: one per meeting, kept through every change.
    uid = models.CharField(max_length=120, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancel_reason = models.CharField(
        max_length=16, choices=CancelReason.choices, blank=True, editable=False
    )
    status_note = EncryptedTextField(_("note"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    safety_checks = models.JSONField(default=list, editable=False)
    safety_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    safety_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["case", "starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["case", "status", "starts_at"], name="meeting_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(modality="in_person") | models.Q(venue__isnull=False),
                name="meeting_in_person_has_venue",
            ),
            models.CheckConstraint(
                condition=models.Q(status="cancelled") | models.Q(cancel_reason=""),
                name="meeting_only_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting #{self.pk} ({self.kind})"

    @property
    def is_joint(self) -> bool:
        return self.kind != MeetingKind.PREPARATION

    @property
    def is_open(self) -> bool:
        """Still to happen: it can be moved, postponed or cancelled."""
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.POSTPONED)


class AttendeeRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator")
    INTERPRETER = "interpreter", _("Interpreter")
    SUPPORTER = "supporter", _("Supporter")


class Attendee(models.Model):
    """Someone invited to a meeting: a participant of the case (a party, a supporter, an
    interpreter) or a member of staff, each with their own arrival and departure, so the
    parties of a domestic-abuse case never arrive or leave together (G7)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    role = models.CharField(_("as"), max_length=16, choices=AttendeeRole.choices)
    arrives_at = models.DateTimeField(_("arrives"))
    leaves_at = models.DateTimeField(_("leaves"))
    # None until the session record says whether they came.
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "arrives_at", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(participant__isnull=False) & models.Q(user__isnull=True))
                | (models.Q(participant__isnull=True) & models.Q(user__isnull=False)),
                name="attendee_is_participant_or_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(leaves_at__gt=models.F("arrives_at")),
                name="attendee_leaves_after_arriving",
            ),
            models.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=models.Q(participant__isnull=False),
                name="attendee_participant_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="attendee_user_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Attendee #{self.pk} ({self.role})"


class SessionOutcome(models.TextChoices):
    AGREEMENT = "agreement", _("An agreement was reached")
    NO_AGREEMENT = "no_agreement", _("No agreement")
    CONTINUE = "continue", _("To be continued at another meeting")
    PREPARED = "prepared", _("Preparation went ahead")
    ENDED_EARLY = "ended_early", _("Ended early")
    NOT_HELD = "not_held", _("Did not take place")


class LegalBasis(models.TextChoices):
    """Why information from a session may leave the case (G12): every disclosure outside
    the case records one."""

    VITAL_INTERESTS = "vital_interests", _("To protect someone's life (vital interests)")
    SAFEGUARDING_DUTY = "safeguarding", _("Statutory safeguarding duty (child or adult at risk)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (court order, statute)")
    CONSENT = "consent", _("The person agreed to it being shared")


class SessionRecord(BaseModel):
    """What happened at a meeting. Notes, disclosures and concerns are restricted: only
    the case's facilitators, coordinator and supervisors read them (G12)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    took_place = models.BooleanField(_("took place"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=SessionOutcome.choices)
    notes = EncryptedTextField(_("restricted notes"), blank=True)
    disclosures = EncryptedTextField(_("disclosures"), blank=True)
    concern = EncryptedTextField(_("safeguarding concern"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    escalation_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    escalated_to = EncryptedTextField(_("passed to"), blank=True)

    class Meta:
        verbose_name = _("session record")
        verbose_name_plural = _("session records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(escalated_at__isnull=True) | ~models.Q(escalation_basis=""),
                name="session_escalation_has_basis",
            )
        ]

    def __str__(self) -> str:
        return f"Session record #{self.pk}"


class ReminderSent(models.Model):
    """One reminder, sent once: the unique constraint is what makes a job that runs
    twice, or a job planned for a time the meeting has since left, send nothing."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    offset_hours = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "offset_hours", "starts_at"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder #{self.pk}"
