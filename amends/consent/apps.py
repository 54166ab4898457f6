from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "amends.consent"
    label = "consent"
    verbose_name = "Consent"
