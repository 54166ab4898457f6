"""The audit log: one append-only, hash-chained row per thing worth answering for.

Rows are written only by `amends.audit.services.audit_record`. Nothing updates or deletes
them: database triggers refuse it (migration 0002), and the model and its queryset refuse
it too, so a programming mistake fails loudly in Python before it reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.audit.actions import action_choices


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit event."""

    def __init__(self) -> None:
        super().__init__("Audit events are append-only: they cannot be changed or deleted.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # Bulk paths bypass Model.save()/delete(), so they are closed here as well.
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Each row's hash depends on the one before; only audit_record can compute it.
        raise AppendOnlyError


class AuditEvent(models.Model):
    """Who did what to which record, when, from where, and why.

    Deliberately not a BaseModel: an audit row has no `updated_at` because it is never
    updated. `actor` and `programme` are references without database constraints, so
    removing a user or programme can never touch (or be blocked by) the audit trail;
    `actor_label` keeps who it was in words.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254)
    action = models.CharField(_("action"), max_length=80, choices=action_choices)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # One index per viewer filter, each ending in -id so a filtered page is an index
        # range scan in keyset order (no sort, no OFFSET) even at tens of millions of rows.
        indexes = [
            models.Index(fields=["target_type", "target_id", "-id"], name="audit_by_target"),
            models.Index(fields=["actor", "-id"], name="audit_by_actor"),
            models.Index(fields=["programme", "-id"], name="audit_by_programme"),
            models.Index(fields=["action", "-id"], name="audit_by_action"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label}"

    def save(
        self,
        *,
        force_insert: bool | tuple[models.base.ModelBase, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        if not self._state.adding or force_update or update_fields is not None:
            raise AppendOnlyError
        super().save(force_insert=True, using=using)

    def delete(self, using: Any | None = None, keep_parents: bool = False) -> NoReturn:
        raise AppendOnlyError
