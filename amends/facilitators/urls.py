from django.urls import URLPattern

app_name = "facilitators"
urlpatterns: list[URLPattern] = []
