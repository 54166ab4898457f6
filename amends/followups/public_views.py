"""The survey page a participant opens from their e-mail: no account, a personal link.

It shows the programme's name and the questions, nothing else about the case. A link
that is unknown says only that it does not work (404); one that has expired or was
already used says so (410); neither changes anything.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amends.core.errors import ApplicationError
from amends.followups import selectors
from amends.followups.forms import SurveyForm, posted
from amends.followups.links import LONGEST_TOKEN, LinkState, SurveyLinkRefused, link_state
from amends.followups.models import SurveyInvitation
from amends.followups.services import survey_answer


def _use_language(request: HttpRequest, invitation: SurveyInvitation) -> None:
    """The language the person chose with the page's switcher, else the one the survey
    was sent in."""
    available = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = chosen if chosen in available else invitation.language
    if language in available:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _link_problem(request: HttpRequest, state: LinkState) -> HttpResponse:
    status = 404 if state == LinkState.UNKNOWN else 410
    return render(request, "followups/survey_link_problem.html", {"state": state}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token) if len(token) <= LONGEST_TOKEN else None
    state = link_state(invitation, timezone.now())
    if invitation is None or state != LinkState.VALID:
        return _link_problem(request, state)
    _use_language(request, invitation)
    form = SurveyForm(posted(request), questions=invitation.instrument.questions)
    refused: ApplicationError | None = None
    if request.method == "POST":
        if form.is_valid():
            try:
                survey_answer(actor=request.user, token=token, answers=form.answers())
            except SurveyLinkRefused as error:
                return _link_problem(request, error.state)
            except ApplicationError as error:
                refused = error
            else:
                return render(request, "followups/survey_thanks.html")
        else:
            refused = ApplicationError(
                _("Your answers were not saved. Please look at the questions marked below.")
            )
    context = {
        "programme": invitation.case.programme.name,
        "form": form,
        "refused": refused,
        "valid_until": timezone.localdate(invitation.expires_at),
    }
    # 200 even when answers are refused: Django logs the path of every 4xx response, and
    # this path holds a link that still works.
    return render(request, "followups/survey_answer.html", context)
