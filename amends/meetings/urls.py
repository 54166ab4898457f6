"""Meeting pages, mounted under /cases/ with the namespace "meetings"; the venue
directory of a programme lives at /cases/programme/<slug>/venues/."""

from __future__ import annotations

from django.urls import path

from amends.meetings.views import meetings, venues

app_name = "meetings"

_MEETING = "<str:reference>/meetings/<int:pk>/"

urlpatterns = [
    path("programme/<slug:slug>/venues/", venues.venue_list, name="venues"),
    path("programme/<slug:slug>/venues/add/", venues.venue_add, name="venue_add"),
    path("programme/<slug:slug>/venues/<int:pk>/edit/", venues.venue_edit, name="venue_edit"),
    path("<str:reference>/meetings/", meetings.meeting_list, name="list"),
    path("<str:reference>/meetings/new/", meetings.meeting_schedule, name="schedule"),
    path(_MEETING, meetings.meeting_detail, name="detail"),
    path(f"{_MEETING}move/", meetings.meeting_move, name="move"),
    path(f"{_MEETING}postpone/", meetings.meeting_postpone, name="postpone"),
    path(f"{_MEETING}cancel/", meetings.meeting_cancel, name="cancel"),
    path(f"{_MEETING}safety-check/", meetings.meeting_safety_check, name="safety_check"),
    path(f"{_MEETING}record/", meetings.session_record, name="record"),
    path(f"{_MEETING}record/escalate/", meetings.concern_escalate, name="escalate"),
    path(
        "<str:reference>/participants/<int:participant_id>/meetings/",
        meetings.participant_meetings,
        name="participant",
    ),
]
