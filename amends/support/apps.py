from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "amends.support"
    label = "support"
    verbose_name = "Support"
