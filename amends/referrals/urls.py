from django.urls import path

from amends.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_start, name="start"),
    path("new/<slug:slug>/", views.referral_new, name="new"),
    path("mine/", views.referral_mine, name="mine"),
    path("<str:reference>/screening/", views.referral_screening, name="screening"),
]
