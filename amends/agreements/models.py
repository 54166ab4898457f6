"""Agreements, their items, payments and hours, and the outcome report (G11, G12).

An agreement belongs to one person responsible in a case and holds items (an apology,
restitution, work, a behavioural commitment, attending a programme, or another item from
the programme's catalogue). Nothing here is edited into a new meaning: a change of terms
is a new version of the item linked to the old one, payments and hours are ledgers whose
totals are computed from their rows, and each step taken when an item is not kept is its
own row. `status` is written only by `agreements.services`.

Money is `Decimal` throughout (DecimalField), never a float.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.programmes.models import Programme

MONEY_DIGITS = 10
HOURS_DIGITS = 6


class ItemKind(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    RESTITUTION = "restitution", _("Restitution (money)")
    WORK = "work", _("Work (reparative or community)")
    BEHAVIOUR = "behaviour", _("Behavioural commitment")
    PROGRAMME = "programme", _("Attending a programme")
    OTHER = "other", _("Other item from the programme's list")


class ApologyForm(models.TextChoices):
    VERBAL = "verbal", _("Spoken, in person")
    WRITTEN = "written", _("Written, handed over")
    LETTER = "letter", _("A letter, passed on by the facilitator")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    VARIED = "varied", _("Varied (replaced by a new version)")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WAIVED = "waived", _("Waived")


# Items still to be done: monitored, reminded about, counted as open.
LIVE_STATUSES = frozenset({ItemStatus.PENDING, ItemStatus.IN_PROGRESS})


class ItemFlag(models.TextChoices):
    """Why an item is out of proportion and needs a supervisor's confirmation (G11)."""

    ABOVE_LOSS = "above_loss", _("The restitution is more than the documented loss")
    ABOVE_MAX_HOURS = "above_max_hours", _("The work is more hours than the programme's limit")


class Currency(models.TextChoices):
    GBP = "GBP", "GBP (£)"
    EUR = "EUR", "EUR (€)"
    USD = "USD", "USD ($)"
    CHF = "CHF", "CHF"
    SEK = "SEK", "SEK"
    NOK = "NOK", "NOK"
    DKK = "DKK", "DKK"
    PLN = "PLN", "PLN"
    CAD = "CAD", "CAD"
    AUD = "AUD", "AUD"
    NZD = "NZD", "NZD"


class PaymentReceiver(models.TextChoices):
    PROGRAMME = "programme", _("The programme, to pass on")
    DIRECT = "direct", _("The person it is owed to, directly")


class ComplianceStepKind(models.TextChoices):
    """What happens when an item is not kept (G11; UN Basic Principles 17): a reminder, a
    review, a referral back. Never anything harsher."""

    REMINDER = "reminder", _("Reminder")
    REVIEW = "review", _("Review meeting due")
    REFERRED_BACK = "referred_back", _("Referred back")


class ReferredTo(models.TextChoices):
    PROGRAMME = "programme", _("The programme")
    REFERRER = "referrer", _("The referrer")


class LegalBasis(models.TextChoices):
    """Why an outcome report may leave the case (G12: every disclosure records its basis)."""

    COURT_ORDER = "court_order", _("A court order")
    STATUTORY_DUTY = "statutory_duty", _("A statutory duty")
    CONSENT = "consent", _("The consent of the parties")
    SHARING_AGREEMENT = "sharing_agreement", _("An information-sharing agreement with the referrer")


class CatalogueItem(BaseModel):
    """An item the programme offers beyond the standard kinds (a victim-awareness course,
    a donation to a charity the person harmed chooses, ...)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="agreement_catalogue"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="agreement_catalogue_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Agreement(BaseModel):
    """What one person responsible agreed to do, made on a date not before the process."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    responsible = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="agreements"
    )
    made_on = models.DateField(_("made on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "responsible"], name="agreement_one_per_responsible"
            )
        ]

    def __str__(self) -> str:
        return f"Agreement #{self.pk}"


class AgreementItem(BaseModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("item from the programme's list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    apology_form = models.CharField(
        _("form of the apology"), max_length=12, choices=ApologyForm.choices, blank=True
    )
    # The person harmed the item is owed to or concerns; they are bound by it with the
    # person responsible and must consent to it too.
    owed_to = models.ForeignKey(
        Participant,
        verbose_name=_("owed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_items_owed",
    )
    terms = EncryptedTextField(_("terms"))
    due_on = models.DateField(_("due by"))
    amount = models.DecimalField(
        _("amount"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    documented_loss = models.DecimalField(
        _("documented loss"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    schedule = models.CharField(_("payment schedule"), max_length=200, blank=True)
    hours_planned = models.DecimalField(
        _("hours planned"), max_digits=HOURS_DIGITS, decimal_places=2, null=True, blank=True
    )
    placement = models.CharField(_("placement"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.PENDING,
        editable=False,
    )
    status_reason = EncryptedTextField(_("why the status changed"), blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    # ItemFlag values, computed by the service when the item is written.
    flags = models.JSONField(default=list, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_reason = EncryptedTextField(blank=True, editable=False)
    # Variation keeps history: a new version points at the one it replaces, and every
    # version points at the first (whose payments and hours count for the whole line).
    version = models.PositiveIntegerField(default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        editable=False,
    )
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    variation_reason = EncryptedTextField(_("why it was varied"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "id"]
        verbose_name = _("agreement item")
        verbose_name_plural = _("agreement items")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="restitution")
                | (
                    models.Q(amount__gt=0)
                    & models.Q(documented_loss__gte=0)
                    & ~models.Q(currency="")
                ),
                name="agreement_restitution_has_amount_loss_currency",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="work") | models.Q(hours_planned__gt=0),
                name="agreement_work_has_hours",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="apology") | ~models.Q(apology_form=""),
                name="agreement_apology_has_form",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="other") | models.Q(catalogue_item__isnull=False),
                name="agreement_other_names_catalogue_item",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | models.Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="agreement_confirmation_names_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(version=1, previous__isnull=True, original__isnull=True)
                | models.Q(version__gt=1, previous__isnull=False, original__isnull=False),
                name="agreement_item_versions_are_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement item #{self.pk} ({self.kind}, v{self.version})"

    @property
    def series_id(self) -> int:
        """The first version's id: payments and hours of every version count together."""
        return self.original_id or self.pk

    @property
    def is_current(self) -> bool:
        return self.status != ItemStatus.VARIED

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class Payment(models.Model):
    """One payment of restitution. Rows are only ever added; totals are computed."""

    item = models.ForeignKey(AgreementItem, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=2)
    # A bank reference often carries a name.
    reference = EncryptedTextField(_("reference"), blank=True)
    received_by = models.CharField(_("received by"), max_length=12, choices=PaymentReceiver.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"Payment #{self.pk}"


class WorkLog(BaseModel):
    """Hours of work done on one day; verified later by someone working on the case."""

    item = models.ForeignKey(AgreementItem, on_delete=models.CASCADE, related_name="work_logs")
    worked_on = models.DateField(_("worked on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    placement = models.CharField(_("placement"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["item", "worked_on", "id"]
        verbose_name = _("hours of work")
        verbose_name_plural = _("hours of work")
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="work_log_positive"),
            models.CheckConstraint(
                condition=models.Q(verified_by__isnull=True, verified_at__isnull=True)
                | models.Q(verified_by__isnull=False, verified_at__isnull=False),
                name="work_log_verification_names_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Hours #{self.pk}"


class ComplianceStep(models.Model):
    """A step taken because an item was not kept on time: each step once per item."""

    item = models.ForeignKey(
        AgreementItem, on_delete=models.CASCADE, related_name="compliance_steps"
    )
    step = models.CharField(_("step"), max_length=16, choices=ComplianceStepKind.choices)
    taken_on = models.DateField(_("taken on"))
    # None: the daily sweep took it.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    referred_to = models.CharField(
        _("referred to"), max_length=12, choices=ReferredTo.choices, blank=True
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "taken_on", "id"]
        verbose_name = _("step after an item was not kept")
        verbose_name_plural = _("steps after items were not kept")
        constraints = [
            models.UniqueConstraint(fields=["item", "step"], name="compliance_step_once"),
            models.CheckConstraint(
                condition=models.Q(step="referred_back", taken_by__isnull=False)
                & ~models.Q(referred_to="")
                | (~models.Q(step="referred_back") & models.Q(referred_to="")),
                name="compliance_referral_names_where_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} for item #{self.item_id}"


class OutcomeReportIssue(models.Model):
    """An outcome report issued to the referrer: exactly what was disclosed (participation
    and completion only), under which legal basis, by whom and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcome_reports")
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    # The report's facts as issued: roles, yes/no answers and dates, never a name.
    report = models.JSONField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-issued_at", "-id"]
        verbose_name = _("outcome report issued")
        verbose_name_plural = _("outcome reports issued")

    def __str__(self) -> str:
        return f"Outcome report #{self.pk}"
