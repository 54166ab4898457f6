from django.urls import path

from amends.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_event_list, name="event_list"),
]
