from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "amends.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
