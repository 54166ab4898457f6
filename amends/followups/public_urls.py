"""The participant-facing survey link: no account, a personal token that expires."""

from django.urls import URLPattern

app_name = "survey"
urlpatterns: list[URLPattern] = []
