"""Matching pages: the ranked list of facilitators for one case (assign the suggestion,
choose someone else with a reason, or a co-facilitator pair) and the programme's batch run
(preview, change any row, apply). Coordinators and supervisors of the case's programme
only. Every assignment goes through `cases.services.case_assign_facilitator`, whose audit
event keeps why: the rank and score, or the coordinator's reason for choosing otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.models import User
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.permissions import CASE_MANAGER_ROLES, case_policy
from amends.cases.services import case_assign_facilitator
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.facilitators.matching import (
    MAX_POINTS,
    BatchPlan,
    Candidate,
    CaseNeed,
    PlannedAssignment,
    Suggestion,
    batch_assign,
    rank,
    review,
    suggest_pairs,
)
from amends.facilitators.matching.words import need_summary
from amends.facilitators.matching_forms import (
    BatchForm,
    MatchAssignForm,
    PairAssignForm,
    planned_field,
    row_field,
)
from amends.facilitators.matching_selectors import (
    batch_cases,
    case_need_for,
    case_needs_for,
    roster_for,
    roster_users_by_id,
)
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy
from amends.programmes.selectors import settings_for

_REFUSED = 400


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _managed_case(request: HttpRequest, reference: str) -> Case:
    return get_for_user_or_404(case_policy, request.user, "assign", reference=reference)


def _managed_programme(request: HttpRequest, slug: str) -> Programme:
    """A programme the user belongs to (else 404) and manages cases in (else 403)."""
    programme = get_for_user_or_404(programme_policy, request.user, "view", slug=slug)
    if programme.pk not in programme_ids_with_role(request.user, CASE_MANAGER_ROLES):
        raise PermissionDenied
    return programme


def _ranking(case: Case) -> tuple[CaseNeed, list[Suggestion]]:
    language = settings_for(case.programme).default_language
    need = case_need_for(case, default_language=language)
    return need, rank(need, roster_for(case.programme, default_language=language))


def _score(value: float) -> str:
    return f"{value:.1f}"


def _strengths(suggestion: Suggestion) -> str:
    return " ".join(reason.text for reason in suggestion.reasons if reason.points > 0)


# --- one case --------------------------------------------------------------------------


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
    form: MatchAssignForm | None = None,
) -> HttpResponse:
    need, suggestions = _ranking(case)
    # DESIGN §4: every page showing a case is audited.
    audit_record(
        actor=_actor(request), action=Action.CASE_VIEWED, target=case, programme=case.programme
    )
    eligible = [s for s in suggestions if s.eligible]
    context: dict[str, Any] = {
        "case": case,
        "need": need,
        "eligible": eligible,
        "ineligible": [s for s in suggestions if not s.eligible],
        "pairs": (
            suggest_pairs(need, suggestions)
            if case.is_sensitive and not need.assigned_facilitator_ids
            else []
        ),
        "is_open": case.stage != CaseStage.CLOSED,
        "max_points": MAX_POINTS,
        "needs": need_summary(need),
        "refused": refused,
        "form": form,
    }
    return render(request, "facilitators/matching_case.html", context, status=status)


@require_GET
@login_required
def matching_case(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, _managed_case(request, reference))


def _assign_reason(chosen: Suggestion, eligible: Sequence[Suggestion], note: str) -> str:
    values = {
        "rank": chosen.rank,
        "count": len(eligible),
        "score": _score(chosen.score),
        "max": _score(MAX_POINTS),
    }
    if chosen.rank == 1:
        reason = (
            _(
                "Matching suggestion: ranked %(rank)s of %(count)s eligible, "
                "score %(score)s of %(max)s."
            )
            % values
        )
        return f"{reason} {_strengths(chosen)}".strip()
    top = eligible[0]
    return _(
        "Chosen against the matching suggestion: ranked %(rank)s of %(count)s eligible, "
        "score %(score)s of %(max)s; the top suggestion was %(top)s (score %(top_score)s). "
        "Reason given: %(note)s"
    ) % {**values, "top": top.candidate.name, "top_score": _score(top.score), "note": note}


@require_POST
@login_required
def matching_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    form = MatchAssignForm(request.POST)
    not_done = _("Nobody was assigned.")
    if not form.is_valid():
        return _case_page(
            request, case, status=_REFUSED, refused=form_refusal(not_done, form), form=form
        )
    _need, suggestions = _ranking(case)
    chosen = next(
        (s for s in suggestions if s.candidate.id == form.cleaned_data["facilitator"]), None
    )
    note = form.cleaned_data["reason"].strip()
    problem = None
    if chosen is None:
        problem = ApplicationError(
            not_done, reasons=[_("This is not a facilitator of the programme.")]
        )
    elif not chosen.eligible:
        problem = ApplicationError(not_done, reasons=[r.text for r in chosen.failures])
    elif chosen.rank != 1 and not note:
        problem = ApplicationError(
            not_done,
            reasons=[
                _("Say why you choose %(name)s rather than the top suggestion.")
                % {"name": chosen.candidate.name}
            ],
        )
    if problem is not None or chosen is None:
        return _case_page(request, case, status=_REFUSED, refused=problem, form=form)
    eligible = [s for s in suggestions if s.eligible]
    facilitator = roster_users_by_id(case.programme, [chosen.candidate.id])[chosen.candidate.id]
    try:
        case_assign_facilitator(
            actor=_actor(request),
            case=case,
            facilitator=facilitator,
            reason=_assign_reason(chosen, eligible, note),
        )
    except ApplicationError as error:
        return _case_page(request, case, status=_REFUSED, refused=error, form=form)
    messages.success(request, _("%(name)s is assigned.") % {"name": facilitator})
    return redirect("cases:detail", reference=case.reference)


@require_POST
@login_required
def matching_assign_pair(request: HttpRequest, reference: str) -> HttpResponse:
    case = _managed_case(request, reference)
    form = PairAssignForm(request.POST)
    not_done = _("Nobody was assigned.")
    if not form.is_valid():
        return _case_page(request, case, status=_REFUSED, refused=form_refusal(not_done, form))
    need, suggestions = _ranking(case)
    wanted = {form.cleaned_data["first"], form.cleaned_data["second"]}
    pairs = suggest_pairs(need, suggestions) if case.is_sensitive else []
    found = next(
        (
            (position, pair)
            for position, pair in enumerate(pairs, start=1)
            if {pair.first.candidate.id, pair.second.candidate.id} == wanted
        ),
        None,
    )
    if found is None:
        error = ApplicationError(not_done, reasons=[_("This pair is not among the suggestions.")])
        return _case_page(request, case, status=_REFUSED, refused=error)
    position, pair = found
    users = roster_users_by_id(case.programme, wanted)
    assigned: list[str] = []
    for member, partner in ((pair.first, pair.second), (pair.second, pair.first)):
        reason = _(
            "Suggested co-facilitator pair %(position)s of %(count)s, with %(partner)s "
            "(pair score %(score)s). %(why)s"
        ) % {
            "position": position,
            "count": len(pairs),
            "partner": partner.candidate.name,
            "score": _score(pair.score),
            "why": " ".join(r.text for r in pair.reasons),
        }
        try:
            case_assign_facilitator(
                actor=_actor(request),
                case=case,
                facilitator=users[member.candidate.id],
                reason=reason,
            )
        except ApplicationError as error:
            if not assigned:
                return _case_page(request, case, status=_REFUSED, refused=error)
            # The first one stays: they may work on the case; say plainly who did not.
            messages.warning(request, " ".join([error.message, *error.reasons]))
            break
        assigned.append(member.candidate.name)
    messages.success(request, _("Assigned: %(names)s.") % {"names": ", ".join(assigned)})
    return redirect("cases:detail", reference=case.reference)


# --- the programme's batch run ---------------------------------------------------------


def _option_label(candidate: Candidate, score: float, rank_: int) -> str:
    return _("%(name)s — score %(score)s, rank %(rank)s") % {
        "name": candidate.name,
        "score": _score(score),
        "rank": rank_,
    }


def _plan(programme: Programme) -> tuple[list[Case], list[CaseNeed], list[Candidate], BatchPlan]:
    language = settings_for(programme).default_language
    cases = list(batch_cases(programme))
    needs = case_needs_for(cases, default_language=language)
    candidates = roster_for(programme, default_language=language)
    return cases, needs, candidates, batch_assign(needs, candidates)


def _batch_rows(
    cases: Sequence[Case], plan: BatchPlan
) -> tuple[list[dict[str, Any]], list[tuple[int, str, list[tuple[int, str]]]]]:
    planned: Mapping[int, PlannedAssignment] = {a.case.id: a for a in plan.assignments}
    missing = {u.case.id: u.reason for u in plan.unassigned}
    rows, form_rows = [], []
    for case in cases:
        choice = planned.get(case.pk)
        options = [
            (option.candidate.id, _option_label(option.candidate, option.score, option.rank))
            for option in plan.options.get(case.pk, ())
        ]
        if choice is not None and choice.candidate.id not in dict(options):
            label = _option_label(choice.candidate, choice.score, choice.rank)
            options.insert(0, (choice.candidate.id, label))
        rows.append({"case": case, "planned": choice, "unassigned": missing.get(case.pk)})
        form_rows.append((case.pk, case.reference, options))
    return rows, form_rows


def _batch_page(
    request: HttpRequest,
    programme: Programme,
    *,
    data: QueryDict | None = None,
    status: int = 200,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    cases, _needs, _candidates, plan = _plan(programme)
    rows, form_rows = _batch_rows(cases, plan)
    initial: dict[str, Any] = {}
    for row in rows:
        planned_id = row["planned"].candidate.id if row["planned"] else None
        initial[row_field(row["case"].pk)] = planned_id
        initial[planned_field(row["case"].pk)] = planned_id
    form = BatchForm(data, rows=form_rows, initial=initial)
    for row in rows:
        row["field"] = form[row_field(row["case"].pk)]
        row["planned_field"] = form[planned_field(row["case"].pk)]
    context = {
        "programme": programme,
        "rows": rows,
        "form": form,
        "plan": plan,
        "max_points": MAX_POINTS,
        "refused": refused,
    }
    return render(request, "facilitators/matching_batch.html", context, status=status)


@require_GET
@login_required
def matching_batch(request: HttpRequest, slug: str) -> HttpResponse:
    return _batch_page(request, _managed_programme(request, slug))


def _posted_case_ids(data: QueryDict) -> set[int]:
    return {
        int(key.removeprefix("case_"))
        for key in data
        if key.startswith("case_") and key.removeprefix("case_").isdigit()
    }


def _batch_reason(
    chosen: Suggestion, *, run: str, planned: Candidate | None, note: str, changed: bool
) -> str:
    values = {
        "run": run,
        "rank": chosen.rank,
        "score": _score(chosen.score),
        "max": _score(MAX_POINTS),
    }
    if not changed:
        return (
            _(
                "Batch run %(run)s: the optimal plan's choice, ranked %(rank)s for this case, "
                "score %(score)s of %(max)s."
            )
            % values
        )
    return _(
        "Batch run %(run)s: chosen by the coordinator instead of the plan's %(planned)s; "
        "ranked %(rank)s for this case, score %(score)s of %(max)s. Reason given: %(note)s"
    ) % {**values, "planned": planned.name if planned else _("nobody"), "note": note}


@require_POST
@login_required
def matching_batch_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Applies the rows as posted: each one through the assignment service, in order.
    A row matching or G6 refuses now is reported with why; the others still apply."""
    programme = _managed_programme(request, slug)
    posted = _posted_case_ids(request.POST)
    cases = list(batch_cases(programme).filter(pk__in=posted))
    form = BatchForm(request.POST, rows=[(case.pk, case.reference, []) for case in cases])
    not_done = _("Nothing was assigned.")
    if not form.is_valid():
        refusal = form_refusal(not_done, form)
        return _batch_page(request, programme, data=request.POST, status=_REFUSED, refused=refusal)
    choices = form.choices()
    note = form.cleaned_data["note"].strip()
    changed = {
        case_id
        for case_id, (chosen, planned) in choices.items()
        if chosen is not None and chosen != planned
    }
    if changed and not note:
        refusal = ApplicationError(not_done, reasons=[_("Say why you changed the plan.")])
        return _batch_page(request, programme, data=request.POST, status=_REFUSED, refused=refusal)
    outcomes = _apply(request, programme, cases, choices, changed=changed, note=note)
    context = {
        "programme": programme,
        "outcomes": outcomes,
        "assigned_count": sum(1 for outcome in outcomes if outcome["assigned"]),
        "stale": len(posted - {case.pk for case in cases}),
    }
    return render(request, "facilitators/matching_batch_done.html", context)


def _apply(
    request: HttpRequest,
    programme: Programme,
    cases: Sequence[Case],
    choices: Mapping[int, tuple[int | None, int | None]],
    *,
    changed: set[int],
    note: str,
) -> list[dict[str, Any]]:
    """Reviews every chosen row against matching, then assigns row by row."""
    language = settings_for(programme).default_language
    candidates = roster_for(programme, default_language=language)
    by_id = {candidate.id: candidate for candidate in candidates}
    wanted = {case_id: chosen for case_id, (chosen, _p) in choices.items() if chosen is not None}
    reviewed = review(case_needs_for(cases, default_language=language), candidates, wanted)
    users = roster_users_by_id(programme, wanted.values())
    run = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    outcomes: list[dict[str, Any]] = []
    for case in cases:
        chosen = reviewed.get(case.pk)
        if case.pk not in wanted:
            reasons = [_("Nobody chosen.")]
        elif chosen is None:
            reasons = [_("This is not a facilitator of the programme.")]
        elif not chosen.eligible:
            reasons = [r.text for r in chosen.failures]
        else:
            planned = by_id.get(choices[case.pk][1] or 0)
            reason = _batch_reason(
                chosen, run=run, planned=planned, note=note, changed=case.pk in changed
            )
            try:
                case_assign_facilitator(
                    actor=_actor(request),
                    case=case,
                    facilitator=users[chosen.candidate.id],
                    reason=reason,
                )
                reasons = []
            except ApplicationError as error:
                reasons = [error.message, *error.reasons]
        assigned = chosen.candidate.name if chosen is not None and not reasons else None
        outcomes.append({"case": case, "assigned": assigned, "reasons": reasons})
    return outcomes
