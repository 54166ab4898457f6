"""The participant-facing survey link: no account, a personal token that expires."""

from django.urls import path

from amends.followups import public_views

app_name = "survey"
urlpatterns = [
    path("<str:token>/", public_views.survey_answer_page, name="answer"),
]
