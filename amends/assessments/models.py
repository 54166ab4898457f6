"""Suitability and risk assessments per key participant (G4, G8) and the supervisor's
four-eyes sign-off (G5).

An assessment records the template version it was made on, the answers, the risk level
the template computed and, when someone overrides it, the level they chose and why.
`revision` grows on every change; a sign-off stores the revisions it covered, so any
change to an assessment makes the sign-off stale without anyone having to remember.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.crypto.fields import EncryptedTextField
from amends.programmes.models import AssessmentTemplate, Modality


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class Assessment(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="assessments"
    )
    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    score = models.PositiveIntegerField()
    computed_risk = models.CharField(max_length=8, choices=RiskLevel.choices)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    # Required by the service whenever risk_level differs from computed_risk; not a
    # database constraint because an encrypted column cannot be compared with ''.
    override_reason = EncryptedTextField(_("reason for changing the risk level"), blank=True)
    permitted_modality = models.CharField(_("permitted"), max_length=8, choices=Modality.choices)
    reasons = models.JSONField(default=list)
    notes = EncryptedTextField(_("notes"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("assessed_on")),
                name="assessment_valid_after_assessed",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment #{self.pk}"


class SignOff(models.Model):
    """A supervisor's approval of a case's assessments (G5). `covered` maps assessment id
    (as text) to the revision approved; it is valid while it matches the current ones."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sign_offs")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    covered = models.JSONField(default=dict)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-created_at", "-id"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self) -> str:
        return f"Sign-off #{self.pk}"
