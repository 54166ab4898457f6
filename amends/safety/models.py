"""A case's safety plan (G7): the measures that keep participants safe around the process."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField


class SafetyMeasure(models.TextChoices):
    STAGGERED_TIMES = "staggered", _("Separate arrival and departure times")
    SEPARATE_WAITING = "separate_waiting", _("Separate waiting areas")
    SUPPORT_PERSON = "support_person", _("Support person present")
    VENUE_SECURITY = "venue_security", _("Venue security")
    EXIT_PLAN = "exit_plan", _("Exit plan")
    CODE_WORD = "code_word", _("Code word")
    NO_SHARED_TRANSPORT = "no_shared_transport", _("No shared transport")


class SafetyPlan(BaseModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    measures = models.JSONField(default=list)
    notes = EncryptedTextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"Safety plan #{self.pk}"
