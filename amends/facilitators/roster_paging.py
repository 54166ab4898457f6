"""Pages of a programme's roster, read by keyset as the case list reads its pages.

The roster is in name order, then id (so two people of the same name never swap or
fall between pages). A page is "the 50 facilitators after this one" (or before it, or
the last 50), one query whatever the page's depth and never an OFFSET (and one more to
read the name of the person a cursor points at). The links carry an opaque cursor,
signed so that an edited one is refused: it names the programme and the status filter it
was made for and a person's id, never their name; a cursor that cannot be read, or whose
person is gone, gives the first page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.core import signing
from django.db.models import Q, QuerySet

from amends.accounts.models import User

PAGE_SIZE: Final = 50
_CURSOR_SALT: Final = "amends.facilitators.roster.cursor"
FORWARD: Final = "next"
BACKWARD: Final = "previous"
LAST: Final = "last"
_ORDER: Final = ("full_name", "id")
_REVERSE: Final = ("-full_name", "-id")


@dataclass(frozen=True)
class UserPage:
    """One page of facilitators and the cursors of its neighbours (None: no such page)."""

    users: list[User]
    next_cursor: str | None
    previous_cursor: str | None
    last_cursor: str | None
    is_first: bool
    # The cursor asked for could not be read: this is the first page instead.
    cursor_rejected: bool = False


def ordered(users: QuerySet[User]) -> QuerySet[User]:
    """`users` in the roster's order."""
    return users.order_by(*_ORDER)


def user_page(
    users: QuerySet[User], *, cursor: str | None, scope: dict[str, Any], size: int = PAGE_SIZE
) -> UserPage:
    """The page of `users` (in the roster's order) a cursor points at; the first page
    without one. `scope` says what the cursor must have been made for (the programme
    and the filter), so a cursor from another roster is refused too."""
    position = _position(cursor, scope) if cursor else None
    if position is None:
        rows = list(ordered(users)[: size + 1])
        more = len(rows) > size
        return _page(rows[:size], scope, after=more, before=False, rejected=bool(cursor))
    direction, key = position
    if direction == FORWARD:
        rows = list(ordered(users).filter(_after(key))[: size + 1])
        # The row the cursor was made from comes before this page.
        return _page(rows[:size], scope, after=len(rows) > size, before=bool(rows), is_first=False)
    backwards = users.order_by(*_REVERSE)
    if direction == BACKWARD:
        backwards = backwards.filter(_before(key))
    rows = list(backwards[: size + 1])
    shown = rows[:size][::-1]
    # Read backwards from a row, the page has that row after it; read from the end, none.
    more = len(rows) > size
    return _page(shown, scope, after=direction == BACKWARD and bool(shown), before=more)


def _page(
    shown: list[User],
    scope: dict[str, Any],
    *,
    after: bool,
    before: bool,
    is_first: bool | None = None,
    rejected: bool = False,
) -> UserPage:
    return UserPage(
        users=shown,
        next_cursor=_make_cursor(scope, FORWARD, shown[-1]) if after else None,
        previous_cursor=_make_cursor(scope, BACKWARD, shown[0]) if before else None,
        last_cursor=_make_cursor(scope, LAST, None) if after else None,
        is_first=not before if is_first is None else is_first,
        cursor_rejected=rejected,
    )


def _after(key: tuple[str, int]) -> Q:
    name, pk = key
    return Q(full_name__gt=name) | Q(full_name=name, pk__gt=pk)


def _before(key: tuple[str, int]) -> Q:
    name, pk = key
    return Q(full_name__lt=name) | Q(full_name=name, pk__lt=pk)


def _make_cursor(scope: dict[str, Any], direction: str, user: User | None) -> str:
    # The id only: a name in the address would sit in browser histories and server logs.
    key = [] if user is None else [user.pk]
    return signing.dumps({**scope, "d": direction, "k": key}, salt=_CURSOR_SALT)


def _position(cursor: str, scope: dict[str, Any]) -> tuple[str, tuple[str, int]] | None:
    """The direction and sort key (name, id) a cursor points at, or None when it is not
    one this site made for this roster and filter, or its person is gone."""
    found = _read_cursor(cursor, scope)
    if found is None:
        return None
    direction, pk = found
    if pk is None:
        return direction, ("", 0)  # LAST: read from the end, no key
    name = User.objects.filter(pk=pk).values_list("full_name", flat=True).first()
    return None if name is None else (direction, (name, pk))


def _read_cursor(cursor: str, scope: dict[str, Any]) -> tuple[str, int | None] | None:
    """The direction and id a cursor carries, or None when this site did not make it
    for this roster and filter (or it does not hold what a cursor holds)."""
    try:
        payload = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or any(payload.get(k) != v for k, v in scope.items()):
        return None
    direction, key = payload.get("d"), payload.get("k")
    if direction == LAST and key == []:
        return LAST, None
    if direction not in (FORWARD, BACKWARD) or not isinstance(key, list) or len(key) != 1:
        return None
    pk = key[0]
    if type(pk) is not int:
        return None
    return str(direction), pk
