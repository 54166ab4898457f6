from django.urls import path

from amends.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
]
