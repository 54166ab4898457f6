"""Programme administration: who holds which role, and how the programme works (its
settings, offence taxonomy, eligibility policy, assessment template, information sheets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.accounts.reauth import require_recent_authentication
from amends.accounts.roles import Role
from amends.accounts.selectors import membership_list_for_programme
from amends.accounts.services import member_invite, membership_revoke
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404
from amends.programmes import selectors, services
from amends.programmes.forms import (
    ELIGIBILITY_RULE_LABELS,
    AssessmentTemplateForm,
    EligibilityPolicyForm,
    InformationSheetForm,
    MemberAddForm,
    OffenceCategoryAddForm,
    OffenceCategoryEditForm,
    ProgrammeSettingsForm,
)
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    ProcessType,
    Programme,
)
from amends.programmes.permissions import programme_policy
from amends.programmes.selectors import ELIGIBLE, EXCLUDED, SPECIALIST


def _members_page(
    request: HttpRequest, programme: Programme, form: MemberAddForm, status: int = 200
) -> HttpResponse:
    context = {
        "programme": programme,
        "memberships": membership_list_for_programme(programme.pk),
        "can_manage": programme_policy.can(request.user, "manage_members", programme),
        "can_configure": programme_policy.can(request.user, "configure", programme),
        "form": form,
    }
    return render(request, "programmes/programme_members.html", context, status=status)


@require_GET
@login_required
def programme_members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "view_members", slug=slug)
    return _members_page(request, programme, MemberAddForm())


@require_POST
@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "manage_members", slug=slug)
    require_recent_authentication(request)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, programme, form, status=400)
    try:
        member_invite(
            actor=request.user,  # type: ignore[arg-type]
            programme=programme,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=Role(form.cleaned_data["role"]),
        )
    except ApplicationError as error:
        for reason in error.reasons or [error.message]:
            form.add_error(None, reason)
        return _members_page(request, programme, form, status=400)
    messages.success(request, _("The role was given."))
    return redirect("programmes:members", slug=programme.slug)


@require_POST
@login_required
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "manage_members", slug=slug)
    require_recent_authentication(request)
    try:
        membership_revoke(actor=request.user, membership_id=membership_id, programme=programme)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, " ".join([error.message, *error.reasons]))
        return redirect("programmes:members", slug=programme.slug)
    messages.success(request, _("The role was removed."))
    return redirect("programmes:members", slug=programme.slug)


# --- configuration: settings, offence taxonomy, versioned policy, template and sheets ---


def _configurable(request: HttpRequest, slug: str) -> Programme:
    # 404 for a programme the user may not know about; 403 for members who may not configure.
    return get_for_user_or_404(programme_policy, request.user, "configure", slug=slug)


def _actor(request: HttpRequest) -> User:
    # Every configuration view requires a signed-in user (login_required).
    return cast(User, request.user)


def _form_page(
    request: HttpRequest,
    programme: Programme,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    template: str,
    success: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show `form`; on a valid POST call `save`, then go back to the settings page. A
    refusal from the service is shown in the form with its reasons, and changes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, success)
            return redirect("programmes:settings", slug=programme.slug)
    status = 400 if form.is_bound and form.errors else 200
    page = {"programme": programme, "form": form, **(context or {})}
    return render(request, template, page, status=status)


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@require_GET
@login_required
def programme_settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    current_settings = selectors.settings_for(programme)
    categories = list(selectors.offence_categories(programme, active_only=False))
    policies = list(selectors.eligibility_policy_history(programme))
    templates = list(selectors.assessment_template_history(programme))
    rules = selectors.eligibility_rule_by_code(policies[0] if policies else None)
    context = {
        "programme": programme,
        "settings": current_settings,
        "process_types": [
            ProcessType(value).label
            for value in current_settings.process_types
            if value in ProcessType.values
        ],
        "categories": [
            (category, ELIGIBILITY_RULE_LABELS.get(rules.get(category.code, ""), ""))
            for category in categories
        ],
        "uncovered": [c for c in categories if c.is_active and c.code not in rules],
        "policies": policies,
        "templates": templates,
        "sheets": list(selectors.information_sheet_history(programme)),
    }
    return render(request, "programmes/programme_settings.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    form = ProgrammeSettingsForm(
        _posted(request),
        languages=selectors.information_sheet_languages(programme),
        current=selectors.settings_for(programme),
    )
    return _form_page(
        request,
        programme,
        form,
        lambda data: services.programme_settings_update(
            actor=_actor(request), programme=programme, **data
        ),
        template="programmes/configuration_form.html",
        success=_("The working rules were saved."),
        context={"title": _("Working rules"), "submit": _("Save the working rules")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def category_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    return _form_page(
        request,
        programme,
        OffenceCategoryAddForm(_posted(request)),
        lambda data: services.offence_category_add(
            actor=_actor(request), programme=programme, **data
        ),
        template="programmes/configuration_form.html",
        success=_(
            "The category was added. Publish a new eligibility policy to say whether its "
            "cases are eligible."
        ),
        context={"title": _("Add an offence category"), "submit": _("Add the category")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def category_edit(request: HttpRequest, slug: str, category_id: int) -> HttpResponse:
    programme = _configurable(request, slug)
    try:
        category = selectors.offence_category_get(programme, category_id)
    except OffenceCategory.DoesNotExist:
        raise Http404 from None
    return _form_page(
        request,
        programme,
        OffenceCategoryEditForm.for_category(category, _posted(request)),
        lambda data: services.offence_category_update(
            actor=_actor(request), category=category, **data
        ),
        template="programmes/configuration_form.html",
        success=_("The category was saved."),
        context={
            "title": _("Change the category “%(name)s”") % {"name": category.name},
            "intro": _("Its code, “%(code)s”, stays the same.") % {"code": category.code},
            "submit": _("Save the category"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def eligibility_publish(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    current = selectors.current_eligibility_policy(programme)
    form = EligibilityPolicyForm(
        _posted(request), categories=selectors.offence_categories(programme), current=current
    )

    def save(data: dict[str, Any]) -> object:
        lists = form.lists()
        return services.eligibility_policy_publish(
            actor=_actor(request),
            programme=programme,
            eligible_categories=lists[ELIGIBLE],
            specialist_categories=lists[SPECIALIST],
            excluded_categories=lists[EXCLUDED],
            minimum_age_harmed=data["minimum_age_harmed"],
            minimum_age_responsible=data["minimum_age_responsible"],
            conditions=data["conditions"],
        )

    return _form_page(
        request,
        programme,
        form,
        save,
        template="programmes/eligibility_publish.html",
        success=_("The eligibility policy was saved."),
        context={"current": current},
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_publish(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    current = selectors.current_assessment_template(programme)
    form = (
        AssessmentTemplateForm(request.POST)
        if request.method == "POST"
        else AssessmentTemplateForm.for_template(current)
    )
    return _form_page(
        request,
        programme,
        form,
        lambda data: services.assessment_template_publish(
            actor=_actor(request), programme=programme, **data
        ),
        template="programmes/assessment_publish.html",
        success=_("The assessment template was saved."),
        context={"current": current},
    )


@require_http_methods(["GET", "POST"])
@login_required
def information_publish(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _configurable(request, slug)
    language = request.GET.get("language") or selectors.settings_for(programme).default_language
    current = selectors.current_information_sheet(programme, language)
    initial = {"language": language}
    if current is not None and current.language == language:
        initial.update({"title": current.title, "body": current.body})
    return _form_page(
        request,
        programme,
        InformationSheetForm(_posted(request), initial=initial),
        lambda data: services.information_sheet_publish(
            actor=_actor(request), programme=programme, **data
        ),
        template="programmes/configuration_form.html",
        success=_("The information sheet was saved."),
        context={
            "title": _("Publish an information sheet"),
            "intro": _(
                "People asked for their consent from now on are given this version. Consents "
                "already given keep the version the person was given."
            ),
            "submit": _("Publish the sheet"),
        },
    )


@require_GET
@login_required
def eligibility_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    programme = _configurable(request, slug)
    try:
        policy = selectors.eligibility_policy_get(programme, version)
    except EligibilityPolicy.DoesNotExist:
        raise Http404 from None
    rules = selectors.eligibility_rule_by_code(policy)
    categories = selectors.offence_categories(programme, active_only=False)
    context = {
        "programme": programme,
        "policy": policy,
        "categories": [
            (category, ELIGIBILITY_RULE_LABELS.get(rules.get(category.code, ""), ""))
            for category in categories
        ],
    }
    return render(request, "programmes/eligibility_version.html", context)


@require_GET
@login_required
def assessment_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    programme = _configurable(request, slug)
    try:
        template = selectors.assessment_template_get(programme, version)
    except AssessmentTemplate.DoesNotExist:
        raise Http404 from None
    context = {"programme": programme, "template": template}
    return render(request, "programmes/assessment_version.html", context)


@require_GET
@login_required
def information_version(
    request: HttpRequest, slug: str, language: str, version: int
) -> HttpResponse:
    programme = _configurable(request, slug)
    try:
        sheet = selectors.information_sheet_get(programme, language, version)
    except InformationSheet.DoesNotExist:
        raise Http404 from None
    context = {"programme": programme, "sheet": sheet}
    return render(request, "programmes/information_version.html", context)
