from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "amends.safety"
    label = "safety"
    verbose_name = "Safety"
