"""Work that is due (G13): made by people or by the system's clocks, assigned and dated."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.core.models import BaseModel
from amends.programmes.models import Programme


class TaskKind(models.TextChoices):
    INFORMATION_DUE = "information_due", _("Offer restorative justice information")
    SUPPORT_REFERRAL_DUE = "support_referral_due", _("Refer to support services")
    ASSESSMENT_EXPIRING = "assessment_expiring", _("Assessment about to expire")
    CONSENT_EXPIRING = "consent_expiring", _("Consent about to expire")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn: review the case")
    SIGN_OFF_NEEDED = "sign_off_needed", _("Supervisor sign-off needed")
    FACILITATOR_COMPLIANCE = "facilitator_compliance", _("A facilitator's standing lapses soon")
    MEETING_RECORD_DUE = "meeting_record_due", _("Record how the meeting went")
    EXCHANGE_REVIEW = "exchange_review", _("Review an item before it is passed on")
    AGREEMENT_CONFIRMATION = (
        "agreement_confirmation",
        _("Supervisor confirmation of an agreement item"),
    )
    AGREEMENT_NOT_KEPT = "agreement_not_kept", _("An agreement item was not kept: review")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up check-in")
    SUPPORT_NO_ANSWER = "support_no_answer", _("No answer from a support partner")
    OTHER = "other", _("Other")


class Task(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=TaskKind.choices)
    title = models.CharField(_("what"), max_length=200)
    # Who must do it; None means "the case's coordinator, whoever that is".
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    due_on = models.DateField(_("due"))
    # Automatic tasks carry a key so a clock that runs twice makes one task, not two.
    key = models.CharField(max_length=80, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["programme", "done_at", "due_on"], name="task_open_due"),
            # My work (issue 6): someone's open tasks, and a programme's open tasks for
            # "the case's coordinator", each read soonest due first a page at a time.
            models.Index(
                fields=["assignee", "due_on", "id"],
                condition=models.Q(done_at__isnull=True),
                name="task_assignee_open_due",
            ),
            models.Index(
                fields=["programme", "due_on", "id"],
                condition=models.Q(done_at__isnull=True, assignee__isnull=True),
                name="task_unassigned_open_due",
            ),
            # The programme's overdue page: its open tasks, oldest due first, 100 at most.
            models.Index(
                fields=["programme", "due_on", "id"],
                condition=models.Q(done_at__isnull=True),
                name="task_programme_open_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(done_at__isnull=True) & ~models.Q(key=""),
                name="task_open_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title
