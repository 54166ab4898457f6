"""Re-authentication for sensitive actions, checked after authorization.

allauth's decorator checks before the view runs, which would ask someone for their
password only to then refuse them. Views call this once they know the user may act.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest


@reauthentication_required  # type: ignore[untyped-decorator]  # allauth is untyped
def _recently_authenticated(request: HttpRequest) -> None:
    """Returns only when the user re-entered their password within
    ACCOUNT_REAUTHENTICATION_TIMEOUT; otherwise allauth raises ReauthenticationRequired,
    which its middleware turns into the password prompt and then replays the request."""


def require_recent_authentication(request: HttpRequest) -> None:
    _recently_authenticated(request)
