from django.urls import path

from amends.programmes import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/members/", views.programme_members, name="members"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"
    ),
]
