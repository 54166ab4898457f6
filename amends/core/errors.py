"""Errors raised by services, carrying reasons in plain words for the person acting."""

from __future__ import annotations

from collections.abc import Iterable


class ApplicationError(Exception):
    """A refusal a user can understand: a message and, optionally, a list of reasons.

    Views show the message and reasons; the API returns them as
    {"message": ..., "reasons": [...]} with a 4xx status.
    """

    status_code = 400

    def __init__(self, message: str, *, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)

    def as_dict(self) -> dict[str, object]:
        return {"message": self.message, "reasons": self.reasons}


class PermissionRefused(ApplicationError):  # noqa: N818 - named for what the user hears
    """The actor may not do this."""

    status_code = 403


class ConflictError(ApplicationError):
    """Someone else changed the record first, or it already is in that state."""

    status_code = 409
