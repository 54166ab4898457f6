"""Follow-up pages for staff, under /cases/<reference>/."""

from django.urls import path

from amends.followups import views

app_name = "followups"

_PARTICIPANT = "<str:reference>/participants/<int:participant_id>/"

urlpatterns = [
    path("<str:reference>/follow-up/", views.case_follow_up, name="case"),
    path(
        "<str:reference>/follow-up/check-ins/<int:check_in_id>/",
        views.check_in_page,
        name="check_in",
    ),
    path(f"{_PARTICIPANT}follow-up/", views.participant_follow_up, name="participant"),
    path(f"{_PARTICIPANT}follow-up/not-possible/", views.not_possible_page, name="not_possible"),
    path(f"{_PARTICIPANT}survey/send/", views.survey_send_page, name="survey_send"),
    path(f"{_PARTICIPANT}survey/paper/", views.survey_paper_page, name="survey_paper"),
]
