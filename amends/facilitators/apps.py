from django.apps import AppConfig


class FacilitatorsConfig(AppConfig):
    name = "amends.facilitators"
    label = "facilitators"
    verbose_name = "Facilitators"
