"""Background work for facilitators: the daily compliance sweep, and the e-mail that tells
a facilitator their standing lapses soon (queued by the sweep after its tasks commit)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.facilitators.compliance import Lapse, lapse_notice


@task()
def send_compliance_alert(*, user_id: int, items: list[dict[str, Any]], today: str) -> None:
    """E-mail one facilitator what in their standing lapses soon (or just has), with a
    link to their profile. Only their own standing: nothing about any case."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not items:
        return
    day = datetime.date.fromisoformat(today)
    lapses = [
        Lapse(kind=item["kind"], on=datetime.date.fromisoformat(item["on"]), detail=item["detail"])
        for item in items
    ]
    context = {
        "notices": [lapse_notice(lapse, day=day) for lapse in lapses],
        "link": f"{settings.SITE_URL}{reverse('facilitators:me')}",
    }
    subject = render_to_string("facilitators/email/alert_subject.txt", context).strip()
    body = render_to_string("facilitators/email/alert_body.txt", context)
    send_mail(
        subject=subject,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@task()
def sweep_facilitator_compliance() -> dict[str, int]:
    """The daily facilitator compliance sweep as a background job (queued by
    `manage.py sweep_tasks --enqueue` next to the expiry sweep)."""
    from amends.facilitators.services import compliance_alerts_sync

    report = compliance_alerts_sync(today=timezone.localdate())
    return {
        "created": len(report.created),
        "emailed": len(report.emailed),
        "no_longer_needed": report.no_longer_needed,
    }
