"""Facilitator pages: the rosters of the programmes someone manages, one programme's
roster with its compliance, a facilitator's profile, and "My profile" where facilitators
keep their own details, training, week, periods away and conflicts up to date.

Every page answers through the policies (`facilitators.permissions`); every write goes
through a service and a refusal is shown on the page it came from, changing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404, require_page
from amends.facilitators import forms as facilitator_forms
from amends.facilitators import selectors, services
from amends.facilitators.compliance import LAPSING_SOON_DAYS
from amends.facilitators.models import AvailabilitySlot, AwayPeriod
from amends.facilitators.permissions import (
    facilitator_policy,
    roster_policy,
    shared_programme_ids,
)
from amends.facilitators.roster_paging import PAGE_SIZE

# Form name → form class; the name is also the form's prefix, keeping field ids apart on
# one page.
OWN_FORMS: dict[str, type[Form]] = {
    "details": facilitator_forms.ProfileForm,
    "training": facilitator_forms.TrainingForm,
    "availability": facilitator_forms.AvailabilityForm,
    "away": facilitator_forms.AwayForm,
    "conflict": facilitator_forms.ConflictForm,
}
RECORD_FORMS: dict[str, type[Form]] = {
    "accreditation": facilitator_forms.AccreditationForm,
    "endorsement": facilitator_forms.EndorsementForm,
    "supervision": facilitator_forms.SupervisionForm,
    "observed": facilitator_forms.ObservedPracticeForm,
}
_STATUS_REFUSED = 400


def _user(request: HttpRequest) -> User:
    # Every view here requires a signed-in user (login_required).
    return cast(User, request.user)


# --- rosters ----------------------------------------------------------------------------


@require_GET
@login_required
def rosters(request: HttpRequest) -> HttpResponse:
    """The programmes whose roster the user may see, each with its summary."""
    require_page(roster_policy, request.user, "list")
    today = timezone.localdate()
    summaries = [
        (programme, selectors.programme_summary(programme, day=today))
        for programme in selectors.managed_programmes(request.user)
    ]
    return render(
        request, "facilitators/roster_list.html", {"summaries": summaries, "today": today}
    )


@require_GET
@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    """One programme's roster: its summary, then a page of facilitators (50 at most, by
    name), narrowed to one status when asked. A page link that cannot be read gives the
    first page with a message, never an error."""
    programme = get_for_user_or_404(roster_policy, request.user, "view_roster", slug=slug)
    form = facilitator_forms.RosterFilterForm(request.GET or None)
    status = form.chosen_status()
    found = selectors.roster_for_programme(
        programme, day=timezone.localdate(), cursor=request.GET.get("cursor"), status=status
    )
    page = found.page
    context = {
        "roster": found,
        "form": form,
        "lapsing_days": LAPSING_SOON_DAYS,
        "page_size": PAGE_SIZE,
        "matching_shown": number_format(found.matching, force_grouping=True),
        "first_query": _query_with_cursor(request.GET, None),
        "next_query": _query_with_cursor(request.GET, page.next_cursor),
        "previous_query": _query_with_cursor(request.GET, page.previous_cursor),
        "last_query": _query_with_cursor(request.GET, page.last_cursor),
    }
    return render(request, "facilitators/roster.html", context)


def _query_with_cursor(query: QueryDict, cursor: str | None) -> str:
    """The current filter with the page cursor moved (None: the first page)."""
    kept = query.copy()
    kept.pop("cursor", None)
    if cursor is not None:
        kept["cursor"] = cursor
    return kept.urlencode()


# --- one facilitator's profile ----------------------------------------------------------


def _profile_page(
    request: HttpRequest,
    facilitator: User,
    *,
    bound: dict[str, Form] | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = _user(request)
    today = timezone.localdate()
    can = {
        action: facilitator_policy.can(viewer, action, facilitator)
        for action in ("edit_own", "record_standing")
    }
    if viewer.pk != facilitator.pk:
        # DESIGN §4: the records include supervision notes; looking at them is audited.
        audit_record(
            actor=viewer,
            action=Action.FACILITATOR_PROFILE_VIEWED,
            target=facilitator,
            # Filed under a programme both share, so its audit readers see it.
            programme=min(shared_programme_ids(viewer, facilitator), default=None),
            data={"facilitator": facilitator.pk},
        )
    context: dict[str, Any] = {
        "facilitator": facilitator,
        "is_self": viewer.pk == facilitator.pk,
        "can": can,
        "today": today,
        "refused": refused,
        **selectors.profile_page(facilitator, viewer=viewer, day=today),
    }
    if can["edit_own"]:
        context.update(_own_forms(context["profile"]))
    if can["record_standing"]:
        people = selectors.supervisor_choices(facilitator, viewer=viewer)
        context.update(
            {
                "accreditation_form": RECORD_FORMS["accreditation"](prefix="accreditation"),
                "endorsement_form": RECORD_FORMS["endorsement"](prefix="endorsement"),
                "supervision_form": facilitator_forms.SupervisionForm(
                    prefix="supervision", people=people
                ),
                "observed_form": facilitator_forms.ObservedPracticeForm(
                    prefix="observed", people=people
                ),
            }
        )
    for name, form in (bound or {}).items():
        context[f"{name}_form"] = form
    return render(request, "facilitators/profile.html", context, status=status)


def _own_forms(profile: Any) -> dict[str, Form]:
    initial = {}
    if profile is not None:
        initial = {
            "gender": profile.gender,
            "languages": ", ".join(profile.languages),
            "cultural_competencies": "\n".join(profile.cultural_competencies),
            "regions": ", ".join(profile.regions),
            "capacity": profile.capacity,
        }
    forms: dict[str, Form] = {
        f"{name}_form": form_class(prefix=name)
        for name, form_class in OWN_FORMS.items()
        if name != "details"
    }
    forms["details_form"] = facilitator_forms.ProfileForm(prefix="details", initial=initial)
    return forms


@require_GET
@login_required
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    facilitator = get_for_user_or_404(facilitator_policy, request.user, "view", pk=user_id)
    return _profile_page(request, facilitator)


@require_GET
@login_required
def me(request: HttpRequest) -> HttpResponse:
    """My profile: the signed-in facilitator's own page, where they edit what is theirs."""
    require_page(facilitator_policy, request.user, "own_profile")
    return _profile_page(request, _user(request))


def _submit(
    request: HttpRequest,
    facilitator: User,
    *,
    name: str,
    form: Form,
    save: Callable[[dict[str, Any]], object],
    done: str,
    failed: str,
) -> HttpResponse:
    """Check the form, call the service, and go back to the profile; a bad form or a
    refusal redraws the profile with the reasons and changes nothing."""
    refused: ApplicationError | None = None
    if not form.is_valid():
        refused = form_refusal(failed, form)
    else:
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            refused = error
    if refused is not None:
        return _profile_page(
            request, facilitator, bound={name: form}, refused=refused, status=_STATUS_REFUSED
        )
    messages.success(request, done)
    if facilitator.pk == request.user.pk:
        return redirect("facilitators:me")
    return redirect("facilitators:profile", user_id=facilitator.pk)


# --- what a facilitator keeps up to date themselves ------------------------------------


def _own(request: HttpRequest) -> User:
    require_page(facilitator_policy, request.user, "own_profile")
    return _user(request)


@require_POST
@login_required
def details_update(request: HttpRequest) -> HttpResponse:
    me_user = _own(request)
    form = facilitator_forms.ProfileForm(request.POST, prefix="details")
    return _submit(
        request,
        me_user,
        name="details",
        form=form,
        save=lambda data: services.profile_update(
            actor=me_user, facilitator=me_user, **form.as_values()
        ),
        done=_("Your details are saved."),
        failed=_("Your details were not saved."),
    )


@require_POST
@login_required
def training_add(request: HttpRequest) -> HttpResponse:
    me_user = _own(request)
    return _submit(
        request,
        me_user,
        name="training",
        form=facilitator_forms.TrainingForm(request.POST, prefix="training"),
        save=lambda data: services.training_add(actor=me_user, facilitator=me_user, **data),
        done=_("The training is recorded."),
        failed=_("The training was not recorded."),
    )


@require_POST
@login_required
def availability_add(request: HttpRequest) -> HttpResponse:
    me_user = _own(request)
    return _submit(
        request,
        me_user,
        name="availability",
        form=facilitator_forms.AvailabilityForm(request.POST, prefix="availability"),
        save=lambda data: services.availability_add(actor=me_user, facilitator=me_user, **data),
        done=_("The time is added to your week."),
        failed=_("The time was not added."),
    )


@require_POST
@login_required
def availability_remove(request: HttpRequest, slot_id: int) -> HttpResponse:
    me_user = _own(request)
    slot = AvailabilitySlot.objects.filter(pk=slot_id, facilitator=me_user).first()
    if slot is None:
        raise Http404
    services.availability_remove(actor=me_user, slot=slot)
    messages.success(request, _("The time is taken out of your week."))
    return redirect("facilitators:me")


@require_POST
@login_required
def away_add(request: HttpRequest) -> HttpResponse:
    me_user = _own(request)
    return _submit(
        request,
        me_user,
        name="away",
        form=facilitator_forms.AwayForm(request.POST, prefix="away"),
        save=lambda data: services.away_add(actor=me_user, facilitator=me_user, **data),
        done=_("The period away is added."),
        failed=_("The period away was not added."),
    )


@require_POST
@login_required
def away_remove(request: HttpRequest, period_id: int) -> HttpResponse:
    me_user = _own(request)
    period = AwayPeriod.objects.filter(pk=period_id, facilitator=me_user).first()
    if period is None:
        raise Http404
    services.away_remove(actor=me_user, period=period)
    messages.success(request, _("The period away is withdrawn."))
    return redirect("facilitators:me")


@require_POST
@login_required
def conflict_add(request: HttpRequest) -> HttpResponse:
    me_user = _own(request)
    return _submit(
        request,
        me_user,
        name="conflict",
        form=facilitator_forms.ConflictForm(request.POST, prefix="conflict"),
        save=lambda data: services.conflict_declare(actor=me_user, facilitator=me_user, **data),
        done=_("Your conflict of interest is recorded."),
        failed=_("The conflict was not recorded."),
    )


# --- evidence recorded by coordinators and supervisors ---------------------------------


def _recorder(request: HttpRequest, user_id: int) -> User:
    # 404 for a facilitator the user may not know about; 403 for the facilitator
    # themselves, who sees the page but may not record their own standing.
    return get_for_user_or_404(facilitator_policy, request.user, "record_standing", pk=user_id)


@require_POST
@login_required
def accreditation_add(request: HttpRequest, user_id: int) -> HttpResponse:
    facilitator = _recorder(request, user_id)
    return _submit(
        request,
        facilitator,
        name="accreditation",
        form=facilitator_forms.AccreditationForm(request.POST, prefix="accreditation"),
        save=lambda data: services.accreditation_record(
            actor=_user(request), facilitator=facilitator, **data
        ),
        done=_("The accreditation is recorded."),
        failed=_("The accreditation was not recorded."),
    )


@require_POST
@login_required
def endorsement_add(request: HttpRequest, user_id: int) -> HttpResponse:
    facilitator = _recorder(request, user_id)
    return _submit(
        request,
        facilitator,
        name="endorsement",
        form=facilitator_forms.EndorsementForm(request.POST, prefix="endorsement"),
        save=lambda data: services.endorsement_record(
            actor=_user(request), facilitator=facilitator, **data
        ),
        done=_("The endorsement is recorded."),
        failed=_("The endorsement was not recorded."),
    )


@require_POST
@login_required
def supervision_add(request: HttpRequest, user_id: int) -> HttpResponse:
    facilitator = _recorder(request, user_id)
    form = facilitator_forms.SupervisionForm(
        request.POST,
        prefix="supervision",
        people=selectors.supervisor_choices(facilitator, viewer=request.user),
    )
    return _submit(
        request,
        facilitator,
        name="supervision",
        form=form,
        save=lambda data: services.supervision_record(
            actor=_user(request), facilitator=facilitator, **data
        ),
        done=_("The supervision session is recorded."),
        failed=_("The supervision was not recorded."),
    )


@require_POST
@login_required
def observed_add(request: HttpRequest, user_id: int) -> HttpResponse:
    facilitator = _recorder(request, user_id)
    form = facilitator_forms.ObservedPracticeForm(
        request.POST,
        prefix="observed",
        people=selectors.supervisor_choices(facilitator, viewer=request.user),
    )
    return _submit(
        request,
        facilitator,
        name="observed",
        form=form,
        save=lambda data: services.observed_practice_record(
            actor=_user(request), facilitator=facilitator, **data
        ),
        done=_("The observed practice is recorded."),
        failed=_("The observed practice was not recorded."),
    )
