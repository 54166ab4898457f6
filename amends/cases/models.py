"""A case: the people in it, who works on it, and how it moved (DESIGN §2–3).

`stage` is written only by `cases.services` (CONVENTIONS: no editable status fields);
every move leaves a `StageChange` row. The invariants that must hold whatever code runs
are database constraints: a paused case remembers where it came from, a closed case has
a reason, and an open case has a next action with a due date (G13).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.stages import CaseStage, ClosureReason, PauseReason
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.people.models import ContactChannel, Gender, Person
from amends.programmes.models import InformationSheet, ProcessType, Programme
from amends.referrals.models import Referral


def stage_workflow_order() -> models.Case:
    """A case's stage as its position in the workflow (referred 0 … closed last): the
    case list's "stage" sort and the index that serves it use this one expression."""
    return models.Case(
        *(
            models.When(stage=stage.value, then=models.Value(position))
            for position, stage in enumerate(CaseStage)
        ),
        default=models.Value(len(CaseStage)),
        output_field=models.IntegerField(),
    )


# A case reference is "C-" and eight characters of Crockford's base32 without the letters
# people misread (I, L, O, U), in two groups of four. The app and the data generator both
# draw from this, and the case list's search finds exactly these.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Case(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="case")
    # Random, not a sequence: a reference says nothing about how many cases exist.
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    stage = models.CharField(
        _("stage"),
        max_length=16,
        choices=CaseStage.choices,
        default=CaseStage.REFERRED,
        editable=False,
    )
    paused_from = models.CharField(
        max_length=16, choices=CaseStage.choices, blank=True, editable=False
    )
    pause_reason = models.CharField(
        _("pause reason"), max_length=24, choices=PauseReason.choices, blank=True, editable=False
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
    )
    process_type = models.CharField(
        _("planned process"), max_length=16, choices=ProcessType.choices, blank=True
    )
    # Any offence in a sensitive category; kept here so lists can filter without joins.
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    # Where the case happens, in the programme's own words (a borough, a county): the
    # facilitator matching prefers facilitators who work there.
    region = models.CharField(_("region"), max_length=80, blank=True)
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closure note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # One index per list filter and sort that matters at a million cases (issue 6),
        # each ending in a unique column so a keyset page is one index range scan.
        indexes = [
            models.Index(fields=["programme", "stage"], name="case_programme_stage"),
            models.Index(fields=["next_action_due"], name="case_next_action_due"),
            # The list's default: a programme's open cases, soonest due first.
            models.Index(
                fields=["programme", "next_action_due", "id"],
                condition=~models.Q(stage="closed"),
                name="case_open_due",
            ),
            # One stage, soonest due first; "opened" sort; "reference" sort.
            models.Index(
                fields=["programme", "stage", "next_action_due", "id"], name="case_stage_due"
            ),
            models.Index(fields=["programme", "created_at", "id"], name="case_opened"),
            models.Index(fields=["programme", "reference"], name="case_programme_reference"),
            # The "stage, in workflow order" sort: the very expression the list orders by.
            models.Index(
                models.F("programme"),
                stage_workflow_order(),
                models.F("next_action_due"),
                models.F("id"),
                name="case_workflow_order",
            ),
            # A coordinator's cases (list filter, My work) and the dashboards' counts.
            models.Index(
                fields=["coordinator", "stage", "next_action_due"], name="case_coordinator_due"
            ),
            models.Index(
                fields=["coordinator", "next_action_due", "id"],
                condition=~models.Q(stage="closed"),
                name="case_coordinator_open_due",
            ),
            models.Index(
                fields=["programme", "coordinator", "stage"], name="case_programme_coordinator"
            ),
            models.Index(fields=["programme", "closed_at"], name="case_programme_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(stage="paused")
                    & ~models.Q(paused_from="")
                    & ~models.Q(pause_reason="")
                )
                | (~models.Q(stage="paused") & models.Q(paused_from="")),
                name="case_paused_remembers_stage",
            ),
            models.CheckConstraint(
                condition=(models.Q(stage="closed") & ~models.Q(closure_reason=""))
                | (~models.Q(stage="closed") & models.Q(closure_reason="")),
                name="case_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="closed")
                | (models.Q(next_action_due__isnull=False) & ~models.Q(next_action="")),
                name="case_open_has_next_action",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.CLOSED,)


class StageChange(models.Model):
    """One move of a case, written by the service in the same transaction as the move."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=CaseStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=CaseStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(max_length=40, blank=True)
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # When a case entered the process stage: a facilitator's recent practice on
            # the roster (one probe per case they are assigned to).
            models.Index(
                fields=["case", "created_at"],
                condition=models.Q(to_stage="process"),
                name="stagechange_process",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


class ParticipantRole(models.TextChoices):
    HARMED = "harmed", _("Person harmed")
    RESPONSIBLE = "responsible", _("Person responsible")
    SUPPORTER = "supporter", _("Supporter")
    GUARDIAN = "guardian", _("Parent or guardian")
    COMMUNITY = "community", _("Community member")
    ADVOCATE = "advocate", _("Advocate")
    INTERPRETER = "interpreter", _("Interpreter")
    PROFESSIONAL = "professional", _("Professional")


KEY_ROLES = frozenset({ParticipantRole.HARMED, ParticipantRole.RESPONSIBLE})
# Who takes part in the process itself and so must consent to it (G3). Interpreters,
# advocates and professionals attend in a work capacity.
CONSENTING_ROLES = KEY_ROLES | {ParticipantRole.SUPPORTER, ParticipantRole.COMMUNITY}


class Participant(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    # A guardian gives consent for this participant (a minor).
    guardian_for = models.ForeignKey(
        "self",
        verbose_name=_("guardian for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="guardians",
    )
    # The staff victim advocate supporting this participant: they see this participant
    # and the case's stage, nothing else.
    advocate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advocate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_participants",
    )
    # Someone may ask for a facilitator of a given gender (for example after sexual harm);
    # matching treats the request as a hard constraint.
    preferred_facilitator_gender = models.CharField(
        _("asked for a facilitator who is"),
        max_length=16,
        choices=Gender.choices,
        blank=True,
    )

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="participant_unique_role_in_case"
            ),
            models.CheckConstraint(
                condition=models.Q(role="guardian") | models.Q(guardian_for__isnull=True),
                name="participant_only_guardians_guard",
            ),
        ]

    def __str__(self) -> str:
        return f"Participant #{self.pk} ({self.role})"

    @property
    def is_key(self) -> bool:
        return self.role in KEY_ROLES


class FacilitatorAssignment(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("facilitator assignment")
        verbose_name_plural = _("facilitator assignments")
        # A facilitator's cases (their visible set, the list's facilitator filter).
        indexes = [models.Index(fields=["facilitator", "case"], name="assignment_facilitator_case")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "facilitator"], name="assignment_unique_facilitator"
            )
        ]

    def __str__(self) -> str:
        return f"Assignment #{self.pk}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Letter")
    TEXT = "text", _("Text message")
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")


# Methods that go out on one of the person's recorded channels (G10 applies).
CHANNEL_METHODS = {
    ContactMethod.PHONE: ContactChannel.Kind.PHONE,
    ContactMethod.TEXT: ContactChannel.Kind.PHONE,
    ContactMethod.EMAIL: ContactChannel.Kind.EMAIL,
    ContactMethod.POST: ContactChannel.Kind.POST,
}


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Spoke with them")
    NO_ANSWER = "no_answer", _("No answer")
    MESSAGE_LEFT = "message_left", _("Left a message")
    SENT = "sent", _("Sent")
    DECLINED = "declined", _("They did not want to talk")
    WRONG_DETAILS = "wrong_details", _("Wrong details")


class ContactLog(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contacts")
    method = models.CharField(_("how"), max_length=16, choices=ContactMethod.choices)
    channel = models.ForeignKey(
        ContactChannel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ContactOutcome.choices)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    notes = EncryptedTextField(_("notes"), blank=True)
    occurred_at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "-occurred_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"Contact #{self.pk}"


class InformationGiven(models.Model):
    """The participant was given an information sheet, in a language, with the offers
    the standards require (legal advice, an interpreter)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="information_given"
    )
    sheet = models.ForeignKey(InformationSheet, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("how"), max_length=16, choices=ContactMethod.choices)
    legal_advice_offered = models.BooleanField(_("legal advice offered"), default=False)
    interpreter_offered = models.BooleanField(_("interpreter offered"), default=False)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "-given_on", "-id"]
        verbose_name = _("information given")
        verbose_name_plural = _("information given")

    def __str__(self) -> str:
        return f"Information given #{self.pk}"


class AcknowledgmentMethod(models.TextChoices):
    VERBAL = "verbal", _("Said so to a facilitator")
    WRITTEN = "written", _("In writing")
    COURT_RECORD = "court_record", _("Guilty plea or court finding")
    POLICE_RECORD = "police_record", _("Admission recorded by the police")


class Acknowledgment(models.Model):
    """The person responsible accepts the basic facts (G2)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="acknowledgments"
    )
    acknowledged_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=16, choices=AcknowledgmentMethod.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "-acknowledged_on"]
        verbose_name = _("acknowledgment")
        verbose_name_plural = _("acknowledgments")

    def __str__(self) -> str:
        return f"Acknowledgment #{self.pk}"
