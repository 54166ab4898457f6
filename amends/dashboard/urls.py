from django.urls import path

from amends.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("<slug:slug>/", views.programme_dashboard, name="programme"),
]
