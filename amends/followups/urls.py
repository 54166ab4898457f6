from django.urls import URLPattern

app_name = "followups"
urlpatterns: list[URLPattern] = []
