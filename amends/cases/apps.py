from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "amends.cases"
    label = "cases"
    verbose_name = "Cases"
