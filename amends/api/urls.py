from django.urls import path

from amends.api import views

app_name = "api"
urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("cases/<str:reference>/", views.CaseDetail.as_view(), name="case_detail"),
    path("work/", views.MyWork.as_view(), name="my_work"),
    path("schema/", views.Schema.as_view(), name="schema"),
]
