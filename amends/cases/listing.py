"""Reads for the case list and its search (issue 3 "Case list and search").

Everything starts from `case_policy.visible_to(user)`, so a filter or a search can only
narrow what the user may already see. The list shows no personal data and decrypts none
(DESIGN §4, "list views do not decrypt what they do not show"): the cases are loaded
with `only()` the plain columns the list shows, and a search by a person's name, phone
number or e-mail address compares blind indexes, never decrypted values.

Every page is a fixed number of queries whatever its size and however many cases there
are: the count, the page (with its programme and coordinator joined in) and the filter
choices.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import phonenumbers
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case, FacilitatorAssignment, Participant
from amends.cases.permissions import CASE_MANAGER_ROLES, case_policy
from amends.cases.stages import CaseStage
from amends.crypto.blind_index import phone_region
from amends.people.models import Person
from amends.people.selectors import (
    person_find_by_email,
    person_find_by_name,
    person_find_by_phone,
)
from amends.programmes.models import Programme

PAGE_SIZES: Final = (25, 50, 100)
DEFAULT_PAGE_SIZE: Final = PAGE_SIZES[0]
# Who can open the list: the roles of the policy's "list" action.
LIST_ROLES: Final = (*CASE_MANAGER_ROLES, Role.FACILITATOR)

# Stage filter values besides the stages themselves.
STAGE_OPEN: Final = ""  # the default: every case that is not closed
STAGE_ANY: Final = "any"
# Coordinator and facilitator filter value for "nobody yet".
NOBODY: Final = "none"


class PausedFilter(models.TextChoices):
    ANY = "", _("Paused or not")
    ONLY = "only", _("Only paused cases")
    HIDE = "hide", _("Hide paused cases")


class CaseSort(models.TextChoices):
    DUE = "due", _("Next action due, soonest first")
    OPENED = "opened", _("Opened, newest first")
    REFERENCE = "reference", _("Reference")
    STAGE = "stage", _("Stage, in workflow order")


class SearchKind(StrEnum):
    """What a search text was taken to be. Recorded in the audit log; the text never is."""

    REFERENCE = "reference"
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"


# The list's columns and the filters' columns: nothing encrypted (closure_note stays out).
_LIST_COLUMNS = (
    "id",
    "reference",
    "stage",
    "paused_from",
    "process_type",
    "is_sensitive",
    "next_action",
    "next_action_due",
    "created_at",
    "closed_at",
    "programme__id",
    "programme__name",
    "coordinator__id",
    "coordinator__full_name",
    "coordinator__email",
)

# Case references are "C-" and eight characters of Crockford's base32 (cases.services).
_REFERENCE_BODY = re.compile(r"C[0-9A-HJKMNP-TV-Z]{8}")
# Crockford's rule for the letters people write for digits.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_PHONE_CHARACTERS = re.compile(r"[\d\s+().\-/]+")


@dataclass(frozen=True)
class CaseList:
    """The cases to show, in order, and what the search text (if any) was taken to be."""

    cases: QuerySet[Case]
    search_kind: SearchKind | None


def case_list_for_user(
    user: Any,
    *,
    search: str = "",
    programme: Programme | None = None,
    stage: str = STAGE_OPEN,
    coordinator: User | str | None = None,
    facilitator: User | str | None = None,
    sensitive: bool | None = None,
    overdue: bool = False,
    paused: str = PausedFilter.ANY,
    sort: str = CaseSort.DUE,
    today: datetime.date | None = None,
) -> CaseList:
    """The cases `user` may see that match every filter given, sorted, with `is_overdue`.

    `coordinator` and `facilitator` take a user or `NOBODY` (no one yet). `search` is a
    case reference or a person's full name, phone number or e-mail address: see
    `search_kind` for how it is told apart.
    """
    today = today or timezone.localdate()
    cases = case_policy.visible_to(user)
    cases = _filter_stage(cases, stage=stage, paused=paused)
    if programme is not None:
        cases = cases.filter(programme=programme)
    if coordinator == NOBODY:
        cases = cases.filter(coordinator__isnull=True)
    elif isinstance(coordinator, User):
        cases = cases.filter(coordinator=coordinator)
    cases = _filter_facilitator(cases, facilitator)
    if sensitive is not None:
        cases = cases.filter(is_sensitive=sensitive)
    overdue_condition = Q(next_action_due__lt=today) & ~Q(stage=CaseStage.CLOSED)
    if overdue:
        cases = cases.filter(overdue_condition)
    kind: SearchKind | None = None
    if search.strip():
        kind = search_kind(search, visible=cases)
        cases = cases.filter(_search_condition(search, kind))
    cases = cases.annotate(
        is_overdue=models.ExpressionWrapper(overdue_condition, output_field=models.BooleanField())
    )
    cases = _sorted(cases.select_related("programme", "coordinator").only(*_LIST_COLUMNS), sort)
    return CaseList(cases=cases, search_kind=kind)


def _filter_stage(cases: QuerySet[Case], *, stage: str, paused: str) -> QuerySet[Case]:
    if stage == STAGE_OPEN:
        cases = cases.exclude(stage=CaseStage.CLOSED)
    elif stage != STAGE_ANY:
        cases = cases.filter(stage=stage)
    if paused == PausedFilter.ONLY:
        cases = cases.filter(stage=CaseStage.PAUSED)
    elif paused == PausedFilter.HIDE:
        cases = cases.exclude(stage=CaseStage.PAUSED)
    return cases


def _filter_facilitator(cases: QuerySet[Case], facilitator: User | str | None) -> QuerySet[Case]:
    # Subqueries rather than joins: a case with two facilitators stays one row.
    if facilitator == NOBODY:
        return cases.exclude(Exists(FacilitatorAssignment.objects.filter(case=OuterRef("pk"))))
    if isinstance(facilitator, User):
        assigned = FacilitatorAssignment.objects.filter(facilitator=facilitator)
        return cases.filter(pk__in=assigned.values("case_id"))
    return cases


def _sorted(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    # Every order ends with a unique column, so pages never overlap or skip a case.
    soonest_due = models.F("next_action_due").asc(nulls_last=True)
    if sort == CaseSort.OPENED:
        return cases.order_by("-created_at", "-id")
    if sort == CaseSort.REFERENCE:
        return cases.order_by("reference")
    if sort == CaseSort.STAGE:
        workflow_order = models.Case(
            *(
                models.When(stage=stage, then=models.Value(position))
                for position, stage in enumerate(CaseStage)
            ),
            output_field=models.IntegerField(),
        )
        return cases.annotate(stage_order=workflow_order).order_by("stage_order", soonest_due, "id")
    return cases.order_by(soonest_due, "id")


def search_kind(text: str, *, visible: QuerySet[Case] | None = None) -> SearchKind:
    """What a search text is: an e-mail address if it has an @; a case reference if it is
    one written with or without its dashes; a phone number if it is made of the
    characters of one and is a possible number (the people services' rule); otherwise a
    person's full name.

    A single word of letters can be both a reference and a name ("Cassandra" is
    C-ASSA-NDRA): it is a reference only when one of the `visible` cases has it.
    """
    text = text.strip()
    if "@" in text:
        return SearchKind.EMAIL
    reference = reference_from_text(text)
    if reference is not None:
        could_be_a_name = text.isalpha()
        if not could_be_a_name or (
            visible is not None and visible.filter(reference=reference).exists()
        ):
            return SearchKind.REFERENCE
    if _PHONE_CHARACTERS.fullmatch(text) and _is_possible_phone_number(text):
        return SearchKind.PHONE
    return SearchKind.NAME


def reference_from_text(text: str) -> str | None:
    """The case reference a text spells ("c12345678", "C-1234-5678", " c-1234 ") in its
    stored form, or None when it cannot be one."""
    if any(character.isspace() for character in text.strip()):
        return None
    body = text.strip().replace("-", "").upper().translate(_MISREAD)
    if not _REFERENCE_BODY.fullmatch(body):
        return None
    return f"{body[0]}-{body[1:5]}-{body[5:]}"


def _is_possible_phone_number(value: str) -> bool:
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def _search_condition(text: str, kind: SearchKind) -> Q:
    if kind == SearchKind.REFERENCE:
        return Q(reference=reference_from_text(text))
    people: QuerySet[Person]
    if kind == SearchKind.EMAIL:
        people = person_find_by_email(text)
    elif kind == SearchKind.PHONE:
        people = person_find_by_phone(text)
    else:
        people = person_find_by_name(text)
    taking_part = Participant.objects.filter(person__in=people.values("pk"))
    return Q(pk__in=taking_part.values("case_id"))


# --- the filters' choices ---------------------------------------------------------------


def list_programme_ids_for_user(user: Any) -> set[int]:
    """The programmes whose cases (all, or the assigned ones) `user` may list."""
    return programme_ids_with_role(user, LIST_ROLES)


def list_programmes_for_user(user: Any) -> QuerySet[Programme]:
    """The programmes offered in the list's programme filter: only the user's."""
    return Programme.objects.filter(pk__in=list_programme_ids_for_user(user)).order_by("name")


def list_members_for_user(user: Any, role: Role) -> QuerySet[User]:
    """The people holding `role` in the user's programmes (the coordinator and
    facilitator filters' choices)."""
    return (
        User.objects.filter(
            memberships__programme_id__in=list_programme_ids_for_user(user),
            memberships__role=role,
        )
        .distinct()
        .only("id", "full_name", "email")
        .order_by("full_name", "email", "id")
    )
