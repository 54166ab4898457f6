"""Who may see and work on meetings and venues (DESIGN §1; docs/permissions.md).

- meetings: the people working on the case (its programme's coordinators and
  supervisors, its assigned facilitators) see them, schedule them and read the session
  records. An advocate reaches only the meetings their client attends, through the
  participant's page (`participant_policy`), and never a meeting's own page: it lists the
  other party and holds the restricted notes. Referrers, evaluators and administrators
  see no meeting.
- the video link: only the meeting's invitees (`is_invitee`), never everyone who can see
  the meeting.
- venues: the programme's coordinators and supervisors keep the directory; its
  facilitators may read it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.permissions import (
    CASE_MANAGER_ROLES,
    case_policy,
    is_assigned_facilitator,
    manages_programme_cases,
)
from amends.core.permissions import Policy
from amends.meetings.models import Meeting, Venue
from amends.programmes.models import Programme

VENUE_READER_ROLES = (*CASE_MANAGER_ROLES, Role.FACILITATOR)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules_predicate
def is_invitee(user: Any, meeting: Any) -> bool:
    """The user is a member of staff invited to this meeting."""
    return isinstance(meeting, Meeting) and any(
        attendee.user_id == user.pk for attendee in meeting.attendees.all()
    )


case_worker = manages_programme_cases | is_assigned_facilitator


class MeetingPolicy(Policy[Meeting]):
    model = Meeting
    actions = {
        "view": case_worker,
        # Schedule, move, postpone, cancel, record the session, check safety.
        "work": case_worker,
        # The session record's restricted notes, disclosures and concerns (G12).
        "read_record": case_worker,
        "video_link": case_worker & is_invitee,
    }

    def visible_to(self, user: Any) -> QuerySet[Meeting]:
        if not _signed_in(user):
            return Meeting.objects.none()
        return Meeting.objects.filter(case__in=case_policy.visible_to(user).values("pk"))


class ProgrammeVenuesPolicy(Policy[Programme]):
    """The venue directory of a programme (a page about the programme, not one venue)."""

    model = Programme
    actions = {
        "view": has_role_in_programme(*VENUE_READER_ROLES),
        "manage": has_role_in_programme(*CASE_MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        if not _signed_in(user):
            return Programme.objects.none()
        return Programme.objects.filter(pk__in=programme_ids_with_role(user, VENUE_READER_ROLES))


class VenuePolicy(Policy[Venue]):
    model = Venue
    actions = {
        "view": has_role_in_programme(*VENUE_READER_ROLES),
        "manage": has_role_in_programme(*CASE_MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Venue]:
        if not _signed_in(user):
            return Venue.objects.none()
        return Venue.objects.filter(
            programme_id__in=programme_ids_with_role(user, VENUE_READER_ROLES)
        )


meeting_policy = MeetingPolicy()
programme_venues_policy = ProgrammeVenuesPolicy()
venue_policy = VenuePolicy()
