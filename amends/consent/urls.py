"""Consent pages of a participant, under /cases/<reference>/participants/<id>/consent/."""

from django.urls import path

from amends.consent import views

app_name = "consent"

_BASE = "<str:reference>/participants/<int:participant_id>/consent/"

urlpatterns = [
    path(_BASE, views.participant_consent, name="participant"),
    path(f"{_BASE}give/", views.consent_give_page, name="give"),
    path(f"{_BASE}withdraw/", views.consent_withdraw_page, name="withdraw"),
    path(f"{_BASE}<int:entry_id>/document/", views.consent_document, name="document"),
]
