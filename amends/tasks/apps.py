from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "amends.tasks"
    label = "tasks"
    verbose_name = "Tasks"
