"""Support referrals of a case under /cases/<reference>/support/, and a programme's
partner directory under /cases/partners/<programme slug>/."""

from django.urls import path

from amends.support import views

app_name = "support"

_BASE = "<str:reference>/support/"

urlpatterns = [
    # Before "<reference>/...": "partners" must never be read as a case reference.
    path("partners/<slug:slug>/", views.partner_list, name="partners"),
    path("partners/<slug:slug>/add/", views.partner_add, name="partner_add"),
    path("partners/<slug:slug>/<int:partner_id>/", views.partner_edit, name="partner_edit"),
    path(_BASE, views.support_case, name="case"),
    path(f"{_BASE}new/", views.referral_add, name="referral_add"),
    path(f"{_BASE}<int:referral_id>/", views.referral_detail, name="referral"),
    path(f"{_BASE}<int:referral_id>/update/", views.referral_update, name="referral_update"),
]
