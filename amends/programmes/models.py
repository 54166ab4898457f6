"""Organisations and the restorative justice programmes they run (DESIGN §2).

Versioned policies, templates, process types and terminology arrive with the case
lifecycle; here a programme is the unit that memberships and access hang on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.models import BaseModel


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Programme(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="programme_name_unique_in_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Terminology(models.TextChoices):
    """How the programme names the two key parties in everything it shows."""

    HARMED_RESPONSIBLE = "harmed_responsible", _("Person harmed / person responsible")
    VICTIM_OFFENDER = "victim_offender", _("Victim / offender")


class ProcessType(models.TextChoices):
    VICTIM_OFFENDER_MEETING = "meeting", _("Victim–offender meeting")
    CONFERENCE = "conference", _("Conference")
    CIRCLE = "circle", _("Circle")
    SHUTTLE_MEDIATION = "shuttle", _("Shuttle mediation")
    LETTER_EXCHANGE = "letters", _("Letter exchange")
    SURROGATE_DIALOGUE = "surrogate", _("Surrogate dialogue")
    REPARATION_PANEL = "panel", _("Reparation panel")
    CIRCLE_OF_SUPPORT = "cosa", _("Circle of Support and Accountability")
    POLICE_CONVERSATION = "conversation", _("Restorative conversation by a police officer")


class Modality(models.TextChoices):
    """What an assessment permits: ordered from most to least contact."""

    DIRECT = "direct", _("Direct or indirect")
    INDIRECT = "indirect", _("Indirect only")
    NONE = "none", _("No restorative process")


# Which processes bring the parties face to face (G8) and which involve the person
# harmed at all (G2: acknowledgment comes before any process that involves them).
DIRECT_PROCESSES = frozenset(
    {
        ProcessType.VICTIM_OFFENDER_MEETING,
        ProcessType.CONFERENCE,
        ProcessType.CIRCLE,
        ProcessType.REPARATION_PANEL,
        ProcessType.POLICE_CONVERSATION,
    }
)
PROCESSES_WITHOUT_PERSON_HARMED = frozenset(
    {ProcessType.SURROGATE_DIALOGUE, ProcessType.CIRCLE_OF_SUPPORT}
)


class Endorsement(models.TextChoices):
    """Specialist endorsements a facilitator can hold. An offence category may require
    one (G6): a facilitator without it cannot be assigned to a case in that category."""

    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    TRAFFICKING = "trafficking", _("Human trafficking")
    YOUTH = "youth", _("Youth")
    HATE_CRIME = "hate_crime", _("Hate crime")
    COMPLEX_SERIOUS = "complex_serious", _("Complex and serious")


def modality_of(process_type: str) -> Modality:
    return Modality.DIRECT if process_type in DIRECT_PROCESSES else Modality.INDIRECT


def default_reminder_offsets_hours() -> list[int]:
    """Meeting reminders two days and two hours before."""
    return [48, 2]


def default_follow_up_offsets_days() -> list[int]:
    """Follow-up calls two weeks and three months after the process ends."""
    return [14, 91]


class ProgrammeSettings(BaseModel):
    """The programme's working rules that are not versioned: what it offers, its clocks,
    its fast track and its words. Changes are audited with old and new values."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="settings", primary_key=True
    )
    process_types = models.JSONField(_("process types offered"), default=list)
    terminology = models.CharField(
        _("terminology"),
        max_length=24,
        choices=Terminology.choices,
        default=Terminology.HARMED_RESPONSIBLE,
    )
    assessment_validity_days = models.PositiveIntegerField(
        _("assessment valid for (days)"), default=90
    )
    consent_validity_days = models.PositiveIntegerField(_("consent valid for (days)"), default=180)
    fast_track_enabled = models.BooleanField(
        _("fast track"),
        default=False,
        help_text=_(
            "Low-level, low-risk cases may go from assessment straight to ready. "
            "Every safeguard is still checked."
        ),
    )
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    # The process (meetings, agreements, follow-up, support referrals).
    meeting_stagger_minutes = models.PositiveIntegerField(
        _("minimum gap between arrivals and departures (minutes)"),
        default=15,
        help_text=_("In domestic-abuse cases the parties never arrive or leave together (G7)."),
    )
    reminder_offsets_hours = models.JSONField(
        _("meeting reminders (hours before)"), default=default_reminder_offsets_hours
    )
    video_base_url = models.URLField(
        _("video service address"),
        blank=True,
        help_text=_(
            "For example your own Jitsi server. Empty: the address set for the whole "
            "installation is used."
        ),
    )
    max_work_hours = models.PositiveIntegerField(
        _("most hours of work an agreement may ask without a supervisor"), default=40
    )
    agreement_grace_days = models.PositiveIntegerField(
        _("days after an agreement item is due before it counts as not kept"), default=7
    )
    follow_up_offsets_days = models.JSONField(
        _("follow-up calls (days after)"), default=default_follow_up_offsets_days
    )
    survey_link_valid_days = models.PositiveIntegerField(
        _("a survey link stays valid for (days)"), default=14
    )
    support_reply_days = models.PositiveIntegerField(
        _("working days to wait for a partner's answer before a reminder"), default=5
    )
    # Facilitators (G6).
    supervision_interval_days = models.PositiveIntegerField(
        _("supervision at least every (days)"), default=84
    )
    cpd_hours_foundation = models.PositiveIntegerField(
        _("yearly CPD hours, foundation level"), default=6
    )
    cpd_hours_intermediate = models.PositiveIntegerField(
        _("yearly CPD hours, intermediate level"), default=12
    )
    cpd_hours_advanced = models.PositiveIntegerField(
        _("yearly CPD hours, advanced level"), default=16
    )

    class Meta:
        verbose_name = _("programme settings")
        verbose_name_plural = _("programme settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_validity_days__gte=1)
                & models.Q(consent_validity_days__gte=1),
                name="programme_validity_windows_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Settings of programme #{self.programme_id}"


class OffenceCategory(BaseModel):
    """One entry of the programme's offence taxonomy. `is_sensitive` switches on the
    specialist protocol: four-eyes sign-off (G5) and a safety plan (G7)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="offence_categories"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    allows_fast_track = models.BooleanField(_("may be fast-tracked"), default=False)
    required_endorsement = models.CharField(
        _("endorsement a facilitator needs"),
        max_length=20,
        choices=Endorsement.choices,
        blank=True,
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "name"]
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="offence_category_code_unique"
            ),
            models.CheckConstraint(
                condition=~(models.Q(is_sensitive=True) & models.Q(allows_fast_track=True)),
                name="offence_category_sensitive_never_fast_track",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityPolicy(models.Model):
    """One version of the programme's eligibility rules (G1). Never edited: a change is a
    new version, and each referral decision records the version it was made under."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="eligibility_policies"
    )
    version = models.PositiveIntegerField()
    eligible_categories = models.JSONField(default=list)
    specialist_categories = models.JSONField(default=list)
    excluded_categories = models.JSONField(default=list)
    minimum_age_harmed = models.PositiveIntegerField(null=True, blank=True)
    minimum_age_responsible = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.TextField(_("other conditions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-version"]
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="eligibility_policy_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Eligibility policy v{self.version}"


class AssessmentTemplate(models.Model):
    """One version of the suitability and risk questionnaire (G4, G8).

    `questions` is a list of {"key", "text", "weight", "high_at", "indirect_at", "none_at"}:
    each answer is 0 (no concern) to 3 (serious concern); the weighted sum against the
    thresholds gives the risk level, and an answer at or above a question's `high_at`,
    `indirect_at` or `none_at` raises the risk to high or narrows the permitted modality.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="assessment_templates"
    )
    version = models.PositiveIntegerField()
    questions = models.JSONField(default=list)
    medium_threshold = models.PositiveIntegerField()
    high_threshold = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-version"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="assessment_template_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(high_threshold__gt=models.F("medium_threshold")),
                name="assessment_template_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment template v{self.version}"


class InformationSheet(models.Model):
    """One version of the information given to participants in one language (G3):
    what the process is, the limits of confidentiality, the effect on any legal case."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="information_sheets"
    )
    language = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "language", "-version"]
        verbose_name = _("information sheet")
        verbose_name_plural = _("information sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "language", "version"],
                name="information_sheet_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, v{self.version})"
