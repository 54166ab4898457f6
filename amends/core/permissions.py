"""The permission pattern every app follows (CONVENTIONS.md "Permissions").

One policy per app with two faces over the same rules (Wagtail permission policies,
NetBox RestrictedQuerySet): `can(user, action, obj)` answers for one object and
`visible_to(user)` gives the queryset a selector starts from. Views load objects with
`get_for_user_or_404`, which answers 404 for what the user may not see, so the existence
of a record is not disclosed to someone who may not know about it.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from amends.core.errors import PermissionRefused

VIEW = "view"


class HiddenObject(Http404):
    """A 404 for a record that exists but that the user may not see. It answers exactly
    like a missing record; the audit middleware records it as a refusal."""

    def __init__(self, target: models.Model) -> None:
        super().__init__()
        self.target = target


class Policy[ModelT: models.Model](abc.ABC):
    """Subclasses name their model, their actions (rules predicates) and visible_to."""

    model: ClassVar[type[models.Model]]
    # action name → rules predicate taking (user) or (user, obj)
    actions: ClassVar[Mapping[str, Any]]

    @abc.abstractmethod
    def visible_to(self, user: Any) -> models.QuerySet[ModelT]:
        """Every object of the model that `user` may know exists."""

    def can(self, user: Any, action: str, obj: ModelT | None = None) -> bool:
        """May `user` do `action` (to `obj`)? An unknown action is a programming error."""
        try:
            predicate = self.actions[action]
        except KeyError:
            raise KeyError(f"{type(self).__name__} has no action {action!r}") from None
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        return bool(predicate.test(user, obj))

    def require(self, user: Any, action: str, obj: ModelT | None = None) -> None:
        """Raise PermissionRefused unless `user` may do `action` (services use this)."""
        if not self.can(user, action, obj):
            raise PermissionRefused(_("You are not allowed to do this."))


def get_for_user_or_404[ModelT: models.Model](
    policy: Policy[ModelT], user: Any, action: str = VIEW, **lookup: Any
) -> ModelT:
    """Fetch one object the user may see and check `action` on it.

    Not visible → 404. Visible but the action is not allowed → 403 (the user already
    knows the object exists, so saying "not allowed" discloses nothing).
    """
    try:
        obj = policy.visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        hidden = policy.model._default_manager.filter(**lookup).first()
        if hidden is not None:
            raise HiddenObject(hidden) from None
        raise Http404 from None
    if not policy.can(user, action, obj):
        if action == VIEW:
            raise Http404
        raise PermissionDenied
    return obj


def require_page(policy: Policy[Any], user: Any, action: str) -> None:
    """For pages about no single object (lists, forms): 403 unless the action is allowed."""
    if not policy.can(user, action):
        raise PermissionDenied
