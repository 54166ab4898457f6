"""The base every domain model builds on. No domain models live here."""

from __future__ import annotations

from django.db import models


class BaseModel(models.Model):
    """Creation and change times on every row; timezone-aware (USE_TZ)."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True
