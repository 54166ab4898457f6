"""Organisations and the restorative justice programmes they run (DESIGN §2).

Versioned policies, templates, process types and terminology arrive with the case
lifecycle; here a programme is the unit that memberships and access hang on.
"""

from __future__ import annotations

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
