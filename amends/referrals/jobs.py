"""Background work for referrals: telling the referrer that there is news."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from amends.referrals.models import Referral


@task()
def send_status_notice(*, referral_id: int) -> None:
    """E-mail the referrer that their referral's status changed. The e-mail carries the
    case reference and a link, never the decision's reasons: those are read signed in."""
    referral = (
        Referral.objects.filter(pk=referral_id, submitted_by__is_active=True)
        .select_related("submitted_by", "case")
        .first()
    )
    if referral is None or referral.submitted_by is None:
        return
    context = {
        "user": referral.submitted_by,
        "reference": referral.case.reference,
        "link": f"{settings.SITE_URL}{reverse('referrals:mine')}",
    }
    send_mail(
        subject=render_to_string("referrals/email/status_subject.txt", context).strip(),
        message=render_to_string("referrals/email/status_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[referral.submitted_by.email],
    )
