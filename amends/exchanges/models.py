"""Indirect exchange: letters and messages relayed by a facilitator after review (DESIGN §2).

An item is written by one participant for another and entered by staff. A facilitator
assigned to the case reviews every revision before it is passed on; what the review
found (details of the author's whereabouts, G10) is kept as flags. `status` is written
only by `exchanges.services`; the invariants any code must respect are constraints.

Text is encrypted like every narrative field; an attached file is stored as Fernet
ciphertext and decrypted only by the download view after its permission check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField


class ItemKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    MESSAGE = "message", _("Message")
    TRANSCRIPT = "transcript", _("Transcript of a recorded message")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    REDACTED = "redacted", _("Approved with details taken out")
    RELAYED = "relayed", _("Passed on")
    READ = "read", _("Read by the recipient")


# An item in these states may be passed on; in these it has been.
RELAYABLE_STATUSES = frozenset({ItemStatus.APPROVED, ItemStatus.REDACTED})
DELIVERED_STATUSES = frozenset({ItemStatus.RELAYED, ItemStatus.READ})
# Changing an item in these states sends it back to draft: a review is needed again.
EDITABLE_STATUSES = frozenset(
    {
        ItemStatus.DRAFT,
        ItemStatus.SUBMITTED,
        ItemStatus.RETURNED,
        ItemStatus.APPROVED,
        ItemStatus.REDACTED,
    }
)


class DeliveryMethod(models.TextChoices):
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")
    IN_PERSON = "in_person", _("Handed over in person")
    READ_OUT = "read_out", _("Read out to them (in person or by phone)")


class ExchangeItem(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exchange_items")
    author = models.ForeignKey(
        Participant,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="exchange_items_written",
    )
    recipient = models.ForeignKey(
        Participant,
        verbose_name=_("written for"),
        on_delete=models.PROTECT,
        related_name="exchange_items_received",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    text = EncryptedTextField(_("text"), blank=True)
    # Fernet ciphertext of the uploaded file under a random name; `attachment_format`
    # ("pdf", "jpg", "png") was decided from the file's first bytes, never its name.
    attachment = models.FileField(upload_to="exchanges/%Y/%m/", blank=True)
    attachment_format = models.CharField(max_length=4, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ItemStatus.choices,
        default=ItemStatus.DRAFT,
        editable=False,
    )
    # Every edit starts a new revision; reviews and flags belong to one revision.
    revision = models.PositiveIntegerField(default=1, editable=False)
    # What the facilitator wrote to be passed on instead of the original. The original
    # stays, seen only by the people working on the case.
    redacted_text = EncryptedTextField(_("version to pass on"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who wrote the current revision down: they do not review it themselves unless they
    # are the only facilitator on the case.
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    relayed_on = models.DateField(_("passed on"), null=True, blank=True)
    relay_method = models.CharField(
        _("how it was passed on"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_on = models.DateField(_("read"), null=True, blank=True)
    read_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "created_at", "id"]
        verbose_name = _("exchange item")
        verbose_name_plural = _("exchange items")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author=models.F("recipient")),
                name="exchange_item_not_to_self",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["relayed", "read"])
                | (
                    models.Q(relayed_on__isnull=False)
                    & models.Q(relayed_by__isnull=False)
                    & ~models.Q(relay_method="")
                ),
                name="exchange_item_delivery_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="read") | models.Q(read_on__isnull=False),
                name="exchange_item_read_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(attachment="") | ~models.Q(attachment_format=""),
                name="exchange_item_file_has_format",
            ),
        ]

    def __str__(self) -> str:
        return f"Exchange item #{self.pk}"

    @property
    def is_delivered(self) -> bool:
        return self.status in DELIVERED_STATUSES

    @property
    def is_redacted(self) -> bool:
        return bool(self.redacted_text)

    @property
    def text_to_pass_on(self) -> str:
        """What the recipient gets: the facilitator's version when details were taken out."""
        return str(self.redacted_text or self.text)

    @property
    def passes_on_attachment(self) -> bool:
        """A redaction replaces the whole item with the facilitator's text: the file is
        withheld with the original."""
        return bool(self.attachment) and not self.is_redacted


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve it as it is")
    RETURN = "return", _("Return it with comments")
    REDACT = "redact", _("Take details out and approve the new version")


class ExchangeReview(models.Model):
    """One review of one revision of an item, kept as history. The note (comments when
    returned, the reasons for a redaction) is seen only by the people working on the case."""

    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="reviews")
    revision = models.PositiveIntegerField()
    decision = models.CharField(_("decision"), max_length=8, choices=ReviewDecision.choices)
    note = EncryptedTextField(_("comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Entered by the only facilitator on the case, who then had to review it too.
    own_entry = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("exchange review")
        verbose_name_plural = _("exchange reviews")

    def __str__(self) -> str:
        return f"Exchange review #{self.pk}"


class FlagKind(models.TextChoices):
    ADDRESS = "address", _("Address")
    PLACE = "place", _("Place in the author's address")
    POSTCODE = "postcode", _("Postcode")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    STREET = "street", _("Street address")
    OTHER_CONTACT = "contact", _("Other contact detail")
    ATTACHMENT = "attachment", _("Attached file: check it by eye")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("To check")
    CONFIRMED = "confirmed", _("Checked: safe to pass on")
    REDACTED = "redacted", _("Taken out")
    SUPERSEDED = "superseded", _("Replaced by a later check")


class WhereaboutsFlag(models.Model):
    """A detail of the author's whereabouts found in one revision of an item (G10)."""

    item = models.ForeignKey(ExchangeItem, on_delete=models.CASCADE, related_name="flags")
    revision = models.PositiveIntegerField()
    kind = models.CharField(_("what"), max_length=12, choices=FlagKind.choices)
    # One of the author's own stored details: only a redaction clears it.
    is_own_detail = models.BooleanField(default=False)
    is_blocking = models.BooleanField(default=False)
    matched = EncryptedTextField(_("found"), blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN, editable=False
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "revision", "start", "id"]
        verbose_name = _("whereabouts flag")
        verbose_name_plural = _("whereabouts flags")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(is_blocking=False),
                name="flag_blocking_never_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"Whereabouts flag #{self.pk}"


class RoundMethod(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class ShuttleRound(models.Model):
    """One visit or call of shuttle mediation: the facilitator carries what one party
    said to the other. A round may have one row for each party seen."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shuttle_rounds")
    number = models.PositiveIntegerField(_("round"))
    held_on = models.DateField(_("date"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    party = models.ForeignKey(
        Participant, verbose_name=_("who was seen"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how"), max_length=8, choices=RoundMethod.choices)
    summary = EncryptedTextField(_("summary"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number", "held_on", "id"]
        verbose_name = _("shuttle round")
        verbose_name_plural = _("shuttle rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number", "party"], name="shuttle_round_party_once"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="shuttle_round_from_1"),
        ]

    def __str__(self) -> str:
        return f"Shuttle round #{self.pk}"
