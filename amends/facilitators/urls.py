"""Facilitator pages, mounted at /facilitators/ (the matching pages have their own
matching_urls.py under the same prefix)."""

from django.urls import path

from amends.facilitators import views

app_name = "facilitators"
urlpatterns = [
    path("", views.rosters, name="rosters"),
    path("programme/<slug:slug>/", views.roster, name="roster"),
    path("me/", views.me, name="me"),
    path("me/details/", views.details_update, name="details_update"),
    path("me/training/", views.training_add, name="training_add"),
    path("me/availability/", views.availability_add, name="availability_add"),
    path(
        "me/availability/<int:slot_id>/remove/",
        views.availability_remove,
        name="availability_remove",
    ),
    path("me/away/", views.away_add, name="away_add"),
    path("me/away/<int:period_id>/remove/", views.away_remove, name="away_remove"),
    path("me/conflicts/", views.conflict_add, name="conflict_add"),
    path("<int:user_id>/", views.profile, name="profile"),
    path("<int:user_id>/accreditations/", views.accreditation_add, name="accreditation_add"),
    path("<int:user_id>/endorsements/", views.endorsement_add, name="endorsement_add"),
    path("<int:user_id>/supervision/", views.supervision_add, name="supervision_add"),
    path("<int:user_id>/observed-practice/", views.observed_add, name="observed_add"),
]
