from django.urls import path

from amends.programmes import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/members/", views.programme_members, name="members"),
    path("<slug:slug>/members/add/", views.member_add, name="member_add"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("<slug:slug>/settings/", views.programme_settings, name="settings"),
    path("<slug:slug>/settings/edit/", views.settings_edit, name="settings_edit"),
    path("<slug:slug>/settings/categories/add/", views.category_add, name="category_add"),
    path(
        "<slug:slug>/settings/categories/<int:category_id>/edit/",
        views.category_edit,
        name="category_edit",
    ),
    path(
        "<slug:slug>/settings/eligibility/publish/",
        views.eligibility_publish,
        name="eligibility_publish",
    ),
    path(
        "<slug:slug>/settings/eligibility/<int:version>/",
        views.eligibility_version,
        name="eligibility_version",
    ),
    path(
        "<slug:slug>/settings/assessment/publish/",
        views.assessment_publish,
        name="assessment_publish",
    ),
    path(
        "<slug:slug>/settings/assessment/<int:version>/",
        views.assessment_version,
        name="assessment_version",
    ),
    path(
        "<slug:slug>/settings/information/publish/",
        views.information_publish,
        name="information_publish",
    ),
    path(
        "<slug:slug>/settings/information/<str:language>/<int:version>/",
        views.information_version,
        name="information_version",
    ),
]
