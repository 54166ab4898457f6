from django.urls import path

from amends.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("<slug:slug>/overdue/", views.programme_overdue, name="programme_overdue"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
]
