"""Background work for agreements: telling the people working on a case that an item is
past its due date (a reminder, then a review meeting), and the daily sweep as a job."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case


@task()
def send_item_not_kept_notice(*, case_id: int, step: str, user_ids: list[int]) -> None:
    """E-mail each person (separately) that an agreement item of a case needs a reminder
    or a review meeting. Only the case reference and a link: no name, no terms, and
    nothing that points towards a harsher outcome."""
    case = Case.objects.filter(pk=case_id).only("pk", "reference").first()
    if case is None:
        return
    context = {
        "reference": case.reference,
        "step": step,
        "link": f"{settings.SITE_URL}{reverse('agreements:case', args=[case.reference])}",
    }
    subject = render_to_string("agreements/email/not_kept_subject.txt", context).strip()
    body = render_to_string("agreements/email/not_kept_body.txt", context)
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )


@task()
def sweep_agreements() -> dict[str, int]:
    """The daily agreement sweep as a background job."""
    # Imported here: the services enqueue this module's notice job.
    from amends.agreements.services import agreement_compliance_sweep

    report = agreement_compliance_sweep(timezone.localdate())
    return {"reminders": len(report.reminders), "reviews": len(report.reviews)}
