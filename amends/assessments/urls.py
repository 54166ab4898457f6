"""Assessment and sign-off pages, mounted under /cases/ with the namespace "assessments"."""

from django.urls import path

from amends.assessments import views

app_name = "assessments"
urlpatterns = [
    path(
        "<str:reference>/participants/<int:participant_id>/assessments/new/",
        views.assessment_new,
        name="new",
    ),
    path("<str:reference>/assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path(
        "<str:reference>/assessments/<int:pk>/override/",
        views.assessment_override,
        name="override",
    ),
    path("<str:reference>/sign-off/", views.sign_off, name="sign_off"),
]
