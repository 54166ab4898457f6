"""Matching facilitators to cases: the ranked list for one case and the batch run."""

from django.urls import path

from amends.facilitators import matching_views

app_name = "matching"
urlpatterns = [
    path("cases/<str:reference>/matches/", matching_views.matching_case, name="case"),
    path("cases/<str:reference>/matches/assign/", matching_views.matching_assign, name="assign"),
    path(
        "cases/<str:reference>/matches/pair/",
        matching_views.matching_assign_pair,
        name="assign_pair",
    ),
    path("programme/<slug:slug>/batch/", matching_views.matching_batch, name="batch"),
    path(
        "programme/<slug:slug>/batch/apply/",
        matching_views.matching_batch_apply,
        name="batch_apply",
    ),
]
