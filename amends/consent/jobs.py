"""Background work for consent: telling the people working on a case that consent was
withdrawn and the case is paused (G9)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case


@task()
def send_withdrawal_notice(*, case_id: int, user_ids: list[int]) -> None:
    """E-mail each person (separately) that consent was withdrawn in a case and that it
    is paused. Only the case reference and a link: e-mail is not a safe channel for
    anyone's name or contact details, so the message carries none."""
    case = Case.objects.filter(pk=case_id).only("pk", "reference").first()
    if case is None:
        return
    context = {
        "reference": case.reference,
        "link": f"{settings.SITE_URL}{reverse('cases:detail', args=[case.reference])}",
    }
    subject = render_to_string("consent/email/withdrawn_subject.txt", context).strip()
    body = render_to_string("consent/email/withdrawn_body.txt", context)
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
