from django.urls import path

from amends.safety import views

app_name = "safety"
urlpatterns = [
    path("<str:reference>/safety-plan/", views.safety_plan, name="plan"),
]
