"""Matching facilitators to cases: the ranked list for one case and the batch run."""

from django.urls import URLPattern

app_name = "matching"
urlpatterns: list[URLPattern] = []
