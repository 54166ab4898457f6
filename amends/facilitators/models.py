"""What the programme knows about its facilitators. For now: declared conflicts of
interest (G6). Accreditation, specialisms and supervision arrive with the facilitators
issue and extend `competence.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.people.models import Person


class ConflictDeclaration(BaseModel):
    """A facilitator knows a person (a neighbour, a relative, a past case) and must not
    facilitate a case they are in."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    description = EncryptedTextField(_("what the conflict is"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["facilitator", "person"], name="conflict_unique_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Conflict #{self.pk}"
