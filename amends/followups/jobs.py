"""Background work for follow-up: e-mailing a participant their survey link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from amends.crypto.keys import decrypt_str
from amends.followups.links import LinkState, link_state, token_hash
from amends.followups.models import SurveyInvitation


@task()
def send_survey_invitation(*, invitation_id: int, sealed_token: str) -> None:
    """E-mail the survey link, in the participant's language, to the address chosen when
    it was sent: only the programme's name, the link and how long it works. Nothing about
    the case or the other party: the message may be read by someone else.

    Checked again here, because the job may run later than the sending: a link no longer
    valid is not sent, nor is one whose address has since been marked unsafe or
    withdrawn (G10: nothing the system sends uses such a channel).
    """
    from amends.followups.selectors import email_channel_usable

    invitation = (
        SurveyInvitation.objects.select_related("channel", "case__programme", "participant")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or link_state(invitation, timezone.now()) != LinkState.VALID:
        return
    token = decrypt_str(sealed_token)
    if token_hash(token) != invitation.token_hash:
        return
    channel = invitation.channel
    if not email_channel_usable(invitation.participant, channel, timezone.localdate()):
        return
    with translation.override(invitation.language):
        context = {
            "programme": invitation.case.programme.name,
            "link": f"{settings.SITE_URL}{reverse('survey:answer', args=[token])}",
            "valid_until": timezone.localdate(invitation.expires_at),
        }
        subject = render_to_string("followups/email/survey_subject.txt", context).strip()
        body = render_to_string("followups/email/survey_body.txt", context)
    send_mail(
        subject=subject,
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[channel.value],
    )
