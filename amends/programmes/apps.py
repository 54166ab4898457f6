from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "amends.programmes"
    label = "programmes"
    verbose_name = "Organisations and programmes"
