"""Reads for the case list and its search (issue 3 "Case list and search").

Everything starts from `case_policy.visible_to(user)`, so a filter or a search can only
narrow what the user may already see. The list shows no personal data and decrypts none
(DESIGN §4, "list views do not decrypt what they do not show"): the cases are loaded
with `only()` the plain columns the list shows, and a search by a person's name, phone
number or e-mail address compares blind indexes, never decrypted values.

Every page is a fixed number of queries whatever its size and however many cases there
are: the count, the page (with its programme and coordinator joined in) and the filter
choices. And each of those costs the same on the first page and the thousandth, at ten
thousand cases or a million (issue 6): pages are read by keyset ("the 25 cases after this
one in this order", an index range scan) and never by OFFSET, and the count stops at
`COUNT_CAP` ("10,000+ cases") instead of counting a million rows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import phonenumbers
from django.core import signing
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case, FacilitatorAssignment, Participant, stage_workflow_order
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
    "programme__slug",
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
    """The cases to show, in order, and what the search text (if any) was taken to be.

    `cases` is the whole filtered, sorted set: read it a page at a time with `case_page`
    and count it with `capped_count`, never whole.
    """

    cases: QuerySet[Case]
    search_kind: SearchKind | None
    sort: str = "due"
    # Whether the filters let closed cases in: only they may have no next action date.
    may_lack_due_date: bool = True


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
    reference_ruled_out: bool = False,
) -> CaseList:
    """The cases `user` may see that match every filter given, sorted, with `is_overdue`.

    `coordinator` and `facilitator` take a user or `NOBODY` (no one yet). `search` is a
    case reference or a person's full name, phone number or e-mail address: see
    `search_kind` for how it is told apart. `reference_ruled_out` says the caller already
    looked the text up as a reference (`visible_case_by_reference`) and found nothing, so
    a one-word name shaped like a reference is not looked up again.
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
        kind = search_kind(search, visible=None if reference_ruled_out else cases)
        cases = cases.filter(_search_condition(search, kind))
    cases = cases.annotate(
        is_overdue=models.ExpressionWrapper(overdue_condition, output_field=models.BooleanField())
    )
    if sort not in CaseSort.values:
        sort = CaseSort.DUE
    if sort == CaseSort.STAGE:
        cases = cases.annotate(stage_order=stage_workflow_order())
        if stage == STAGE_OPEN:
            # Closed cases sort last: bounding the expression keeps the index scan off them.
            cases = cases.filter(stage_order__lt=_CLOSED_POSITION)
    cases = cases.select_related("programme", "coordinator").only(*_LIST_COLUMNS)
    # Only a closed case may have no next action date (a database constraint).
    may_lack_due_date = stage in (STAGE_ANY, CaseStage.CLOSED) and paused != PausedFilter.ONLY
    return CaseList(
        cases=cases.order_by(*_ordering(sort)),
        search_kind=kind,
        sort=sort,
        may_lack_due_date=may_lack_due_date,
    )


def visible_case_by_reference(user: Any, text: str) -> tuple[str, int] | None:
    """The reference and programme id of the case whose reference `text` spells, if
    `user` may see it; None otherwise, whether the case does not exist or is not theirs.
    One query (on the reference's unique index), none when `text` cannot be a reference.
    """
    reference = reference_from_text(text)
    if reference is None or "@" in text:
        return None
    found = (
        case_policy.visible_to(user)
        .filter(reference=reference)
        .values_list("reference", "programme_id")
    )
    return found.first()


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


# --- keyset pages ---------------------------------------------------------------------------

_CLOSED_POSITION: Final = list(CaseStage).index(CaseStage.CLOSED)
_CURSOR_SALT: Final = "amends.cases.listing.cursor"
FORWARD: Final = "next"
BACKWARD: Final = "previous"


@dataclass(frozen=True)
class _Key:
    """One column of a sort order: `name` is a model field or an annotation."""

    name: str
    descending: bool = False
    # Sorted after every value when ascending ("NULLS LAST"), before when descending.
    nullable: bool = False
    kind: type = int


# Every order ends with a unique column, so pages never overlap or skip a case.
_SORT_KEYS: Final[dict[str, tuple[_Key, ...]]] = {
    CaseSort.DUE: (_Key("next_action_due", nullable=True, kind=datetime.date), _Key("id")),
    CaseSort.OPENED: (
        _Key("created_at", descending=True, kind=datetime.datetime),
        _Key("id", descending=True),
    ),
    CaseSort.REFERENCE: (_Key("reference", kind=str),),
    CaseSort.STAGE: (
        _Key("stage_order"),
        _Key("next_action_due", nullable=True, kind=datetime.date),
        _Key("id"),
    ),
}


def _ordering(sort: str, *, reverse: bool = False) -> list[models.OrderBy]:
    # A NULL sorts as the greatest value, as PostgreSQL's defaults have it (ASC NULLS
    # LAST, DESC NULLS FIRST); saying so makes SQLite agree, and reading backwards flips
    # both together.
    ordering = []
    for key in _SORT_KEYS[sort]:
        expression = models.F(key.name)
        if key.descending != reverse:
            ordering.append(expression.desc(nulls_first=True if key.nullable else None))
        else:
            ordering.append(expression.asc(nulls_last=True if key.nullable else None))
    return ordering


@dataclass(frozen=True)
class CasePage:
    """One page of a case list and the cursors of its neighbours."""

    cases: list[Case]
    # Opaque cursors for the "next" and "previous" links; None when there is no such page.
    next_cursor: str | None
    previous_cursor: str | None
    # True on the list's first page (no "first page" link then).
    is_first: bool
    # The cursor asked for could not be read (edited by hand, or made for another sort):
    # this is the first page instead.
    cursor_rejected: bool = False


def case_page(listing: CaseList, *, cursor: str | None, size: int) -> CasePage:
    """The page of `listing` a cursor points at (the first page without one): `size`
    cases read by keyset, one query whatever the page's depth. A cursor that cannot be
    read gives the first page, with `cursor_rejected` set."""
    position = _read_cursor(cursor, listing.sort) if cursor else None
    rejected = bool(cursor) and position is None
    if position is None:
        rows = list(listing.cases[: size + 1])
        return CasePage(
            cases=rows[:size],
            next_cursor=_cursor_after(listing.sort, rows[size - 1]) if len(rows) > size else None,
            previous_cursor=None,
            is_first=True,
            cursor_rejected=rejected,
        )
    direction, values = position
    keys = _SORT_KEYS[listing.sort]
    beyond = _beyond(keys, values, backward=direction == BACKWARD, nulls=listing.may_lack_due_date)
    if direction == FORWARD:
        rows = list(listing.cases.filter(beyond)[: size + 1])
        shown = rows[:size]
        return CasePage(
            cases=shown,
            next_cursor=_cursor_after(listing.sort, shown[-1]) if len(rows) > size else None,
            previous_cursor=_cursor_before(listing.sort, shown[0]) if shown else None,
            is_first=False,
        )
    rows = list(
        listing.cases.filter(beyond).order_by(*_ordering(listing.sort, reverse=True))[: size + 1]
    )
    shown = rows[:size][::-1]
    more_before = len(rows) > size
    return CasePage(
        cases=shown,
        next_cursor=_cursor_after(listing.sort, shown[-1]) if shown else None,
        previous_cursor=_cursor_before(listing.sort, shown[0]) if more_before else None,
        is_first=not more_before,
    )


def _beyond(keys: Sequence[_Key], values: Sequence[Any], *, backward: bool, nulls: bool) -> Q:
    """The rows after (or, `backward`, before) the row whose sort keys are `values`, in
    the order `keys` describe, a NULL being the greatest value.

    When no key can be NULL this is one row-value comparison, `(a, b) > (x, y)`, which an
    index on (a, b) serves as a single range; otherwise the exact expansion ("a beyond x,
    or a = x and b beyond y, …"), bounded by the leading key where it is never NULL.
    """
    up = keys[0].descending == backward  # every sort reads all its keys one way
    # NULLs sort greatest: reading towards smaller values from a row with no NULL key
    # never meets one, so the row comparison is exact then too.
    nulls_ahead = up and nulls and any(key.nullable for key in keys)
    if not nulls_ahead and None not in values:
        operator = ">" if up else "<"
        return Q(_RowComparison([models.F(key.name) for key in keys], operator, values))
    exact = Q(pk__in=[])
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        exact |= equal_so_far & _past(key, value, up=up)
        equal_so_far &= Q(**{f"{key.name}__isnull": True} if value is None else {key.name: value})
    leading, first = keys[0], values[0]
    if leading.nullable or first is None:
        return exact
    return exact & Q(**{f"{leading.name}__{'gte' if up else 'lte'}": first})


def _past(key: _Key, value: Any, *, up: bool) -> Q:
    """`key` strictly greater (`up`) or smaller than `value`, a NULL being greatest."""
    if value is None:
        return Q(pk__in=[]) if up else Q(**{f"{key.name}__isnull": False})
    beyond = Q(**{f"{key.name}__{'gt' if up else 'lt'}": value})
    if key.nullable and up:
        beyond |= Q(**{f"{key.name}__isnull": True})
    return beyond


class _RowComparison(Expression):
    """`(a, b, …) > (x, y, …)`: SQL's row-value comparison (PostgreSQL, SQLite ≥ 3.15)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, columns: list[Any], operator: str, values: Sequence[Any]) -> None:
        super().__init__()
        self.operator = operator
        self.columns = list(columns)
        self.values = [models.Value(value) for value in values]

    def get_source_expressions(self) -> list[Any]:
        return [*self.columns, *self.values]

    def set_source_expressions(self, expressions: Sequence[Any]) -> None:
        middle = len(self.columns)
        self.columns, self.values = list(expressions[:middle]), list(expressions[middle:])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        params: list[Any] = []
        sides = []
        for side in (self.columns, self.values):
            parts = []
            for expression in side:
                sql, part_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(part_params)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.operator} {sides[1]}", tuple(params)


# --- cursors --------------------------------------------------------------------------------


def _cursor_after(sort: str, case: Case) -> str:
    return _make_cursor(sort, FORWARD, case)


def _cursor_before(sort: str, case: Case) -> str:
    return _make_cursor(sort, BACKWARD, case)


def _make_cursor(sort: str, direction: str, case: Case) -> str:
    values = [_to_json(getattr(case, key.name)) for key in _SORT_KEYS[sort]]
    return signing.dumps({"s": sort, "d": direction, "k": values}, salt=_CURSOR_SALT)


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.date):  # dates and date-times
        return value.isoformat()
    return value


def _read_cursor(cursor: str, sort: str) -> tuple[str, list[Any]] | None:
    """The direction and key values a cursor carries, or None when it is not one this
    site made for this sort (signed, so an edited cursor is refused, and checked)."""
    try:
        payload = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != sort:
        return None
    direction, raw = payload.get("d"), payload.get("k")
    keys = _SORT_KEYS[sort]
    if direction not in (FORWARD, BACKWARD) or not isinstance(raw, list) or len(raw) != len(keys):
        return None
    values = []
    for key, value in zip(keys, raw, strict=True):
        parsed = _from_json(key, value)
        if parsed is _INVALID:
            return None
        values.append(parsed)
    return str(direction), values


_INVALID: Final = object()


def _from_json(key: _Key, value: Any) -> Any:
    if value is None:
        return None if key.nullable else _INVALID
    try:
        if key.kind is int and type(value) is int:
            return value
        if key.kind is str and isinstance(value, str) and len(value) <= 64:
            return value
        if key.kind is datetime.datetime and isinstance(value, str):
            moment = datetime.datetime.fromisoformat(value)
            return moment if timezone.is_aware(moment) else _INVALID
        if key.kind is datetime.date and isinstance(value, str):
            return datetime.date.fromisoformat(value)
    except ValueError:
        return _INVALID
    return _INVALID


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


def _memberships_for_user(user: Any, role: Role) -> QuerySet[Membership]:
    return Membership.objects.filter(programme_id__in=list_programme_ids_for_user(user), role=role)


def list_members_for_user(user: Any, role: Role) -> QuerySet[User]:
    """The people holding `role` in the user's programmes (the coordinator and
    facilitator filters' choices). A semi-join, not DISTINCT over a join: someone with
    the role in two programmes is one row either way, but DISTINCT made the database
    read every member (and scan the users table) before the first row."""
    return (
        User.objects.filter(pk__in=_memberships_for_user(user, role).values("user_id"))
        .only("id", "full_name", "email")
        .order_by("full_name", "email", "id")
    )


def count_members_for_user(user: Any, role: Role, *, cap: int) -> int:
    """How many people hold `role` in the user's programmes, counted up to `cap + 1`:
    on the memberships' (programme, role) index alone, never the users table."""
    people = _memberships_for_user(user, role).order_by().values("user_id").distinct()
    return people[: cap + 1].count()
