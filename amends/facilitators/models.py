"""What the programme knows about its facilitators (DESIGN §2 "Facilitator profile", G6).

A profile belongs to the person (a user), not to a programme: accreditation, training and
supervision follow a facilitator wherever they work. Every record is dated, so compliance
(`facilitators.compliance`) is computed for any day from rows, never typed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.people.models import Gender, Person
from amends.programmes.models import Endorsement


class AccreditationLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


LEVEL_ORDER: dict[str, int] = {
    AccreditationLevel.FOUNDATION: 1,
    AccreditationLevel.INTERMEDIATE: 2,
    AccreditationLevel.ADVANCED: 3,
}


class FacilitatorProfile(BaseModel):
    """The facilitator's own description of themselves and their capacity."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitator_profile"
    )
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    # ISO 639-1 codes ("en", "pl", "ar"), lower case.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    cultural_competencies = models.JSONField(
        _("cultural and community competencies"), default=list, blank=True
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("most active cases at a time"), default=6)

    class Meta:
        verbose_name = _("facilitator profile")
        verbose_name_plural = _("facilitator profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__lte=100), name="facilitator_capacity_sane"
            )
        ]

    def __str__(self) -> str:
        return f"Facilitator profile #{self.pk}"


class _FacilitatorRecord(BaseModel):
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class Accreditation(_FacilitatorRecord):
    level = models.CharField(_("level"), max_length=16, choices=AccreditationLevel.choices)
    issuer = models.CharField(_("issued by"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))

    class Meta:
        ordering = ["facilitator", "-valid_to"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        indexes = [models.Index(fields=["facilitator", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="accreditation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Accreditation #{self.pk}"


class EndorsementRecord(_FacilitatorRecord):
    endorsement = models.CharField(_("endorsement"), max_length=20, choices=Endorsement.choices)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    # Empty: the endorsement does not expire (it lapses with the accreditation).
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["facilitator", "endorsement"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="endorsement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Endorsement #{self.pk}"


class TrainingRecord(_FacilitatorRecord):
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    completed_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    counts_as_cpd = models.BooleanField(_("counts as CPD"), default=True)
    approved_provider = models.BooleanField(_("approved provider"), default=False)

    class Meta:
        ordering = ["facilitator", "-completed_on"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        indexes = [models.Index(fields=["facilitator", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=500),
                name="training_hours_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Training #{self.pk}"


class SupervisionSession(_FacilitatorRecord):
    held_on = models.DateField(_("date"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # An external supervisor who has no account.
    supervisor_name = models.CharField(_("supervisor (if not a user)"), max_length=200, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["facilitator", "-held_on"]
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        indexes = [models.Index(fields=["facilitator", "held_on"])]
        constraints = [
            # A session nobody can be named for is not evidence of supervision.
            models.CheckConstraint(
                condition=models.Q(supervisor__isnull=False) | ~models.Q(supervisor_name=""),
                name="supervision_names_the_supervisor",
            )
        ]

    def __str__(self) -> str:
        return f"Supervision #{self.pk}"


class ObservedPractice(_FacilitatorRecord):
    observed_on = models.DateField(_("date"))
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("observer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    observer_name = models.CharField(_("observer (if not a user)"), max_length=200, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["facilitator", "-observed_on"]
        verbose_name = _("observed practice")
        verbose_name_plural = _("observed practice")
        indexes = [models.Index(fields=["facilitator", "observed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observer__isnull=False) | ~models.Q(observer_name=""),
                name="observed_practice_names_the_observer",
            )
        ]

    def __str__(self) -> str:
        return f"Observed practice #{self.pk}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilitySlot(BaseModel):
    """One block of the facilitator's usual week."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["facilitator", "weekday", "starts_at"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="availability_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Availability #{self.pk}"


class AwayPeriod(BaseModel):
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        ordering = ["facilitator", "starts_on"]
        verbose_name = _("period away")
        verbose_name_plural = _("periods away")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="away_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Away #{self.pk}"


class ConflictKind(models.TextChoices):
    PERSON = "person", _("A person")
    PLACE = "place", _("A place")
    ORGANISATION = "organisation", _("An organisation")


class ConflictDeclaration(BaseModel):
    """A facilitator knows a person (a neighbour, a relative, a past case), a place (where
    they live) or an organisation (where they work) and must not facilitate a case that
    involves it. A person conflict names the person; place and organisation conflicts
    name the region or the referring organisation as the programme writes it."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(
        _("conflict with"), max_length=16, choices=ConflictKind.choices, default=ConflictKind.PERSON
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A region or organisation name, compared case-insensitively with the case's region
    # and the referring organisation.
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = EncryptedTextField(_("what the conflict is"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "person"],
                condition=models.Q(person__isnull=False),
                name="conflict_unique_per_person",
            ),
            # "Northshire Police" and "northshire police" are one conflict, as they are
            # one match.
            models.UniqueConstraint(
                models.F("facilitator"),
                models.F("kind"),
                Lower("name"),
                condition=models.Q(person__isnull=True),
                name="conflict_unique_per_name",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="person") & models.Q(person__isnull=False))
                | (~models.Q(kind="person") & models.Q(person__isnull=True) & ~models.Q(name="")),
                name="conflict_names_what_it_is_with",
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict #{self.pk}"
